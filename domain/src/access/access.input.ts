import { grantableRoles } from '@ai-org/core';
import { z } from 'zod';
import { plainText } from '../text/plain-text';

export const maxAccessNameLength = 80;
/** A key may be created without an end; a chosen end lies at most this many years ahead. */
export const maxApiKeyLifetimeYears = 2;

/** The latest expiry a key created at `now` may have: the same instant, two calendar years later. */
export const latestExpiry = (now: Date): Date => {
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + maxApiKeyLifetimeYears);
  return latest;
};

/** The name of a key or a tenant: one line of plain text, 1–80 characters once trimmed. */
export const accessNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(maxAccessNameLength, `must be at most ${maxAccessNameLength} characters`)
  .superRefine(plainText());

export const newApiKeySchema = z.object({
  name: accessNameSchema,
  role: z.enum(grantableRoles, { error: `must be one of ${grantableRoles.join(', ')}` }),
  expiresAt: z
    .date({ error: 'must be a valid date' })
    .nullish()
    .transform((date) => date ?? null),
});
export type NewApiKeyInput = z.input<typeof newApiKeySchema>;

/** What is wrong with an expiry chosen at `now`, or null: it must lie ahead, and at most two years. */
export const expiryProblem = (expiresAt: Date | null, now: Date): string | null => {
  if (expiresAt === null) return null;
  if (expiresAt.getTime() <= now.getTime()) return 'must be in the future';
  if (expiresAt.getTime() > latestExpiry(now).getTime()) return `must be at most ${maxApiKeyLifetimeYears} years ahead`;
  return null;
};
