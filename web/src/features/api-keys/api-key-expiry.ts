/** Choices for a new key's lifetime (the API allows at most two years). */
export const expiryChoices = [
  { value: 'never', label: 'never', days: null },
  { value: '7', label: '7 days', days: 7 },
  { value: '30', label: '30 days', days: 30 },
  { value: '90', label: '90 days', days: 90 },
  { value: '365', label: '1 year', days: 365 },
] as const;

export type ExpiryChoice = (typeof expiryChoices)[number]['value'];

const dayMs = 24 * 60 * 60 * 1000;

/** The ISO-8601 `expiresAt` for a choice, counted from `now`; null for a key that does not expire. */
export const expiresAtFor = (choice: ExpiryChoice, now: Date): string | null => {
  const days = expiryChoices.find((option) => option.value === choice)?.days ?? null;
  return days === null ? null : new Date(now.getTime() + days * dayMs).toISOString();
};
