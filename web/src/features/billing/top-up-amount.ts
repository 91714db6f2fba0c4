import { formatUsd } from '../../ui/format';

export interface TopUpLimits {
  readonly minUsd: number;
  readonly maxUsd: number;
}

export type TopUpAmount =
  | { readonly ok: true; readonly amountUsd: number }
  | { readonly ok: false; readonly reason: string };

/** The amount typed into the top-up form, checked as the API checks it (whole cents, within the limits). */
export const parseTopUpAmount = (text: string, limits: TopUpLimits): TopUpAmount => {
  const trimmed = text.trim();
  const range = `Enter an amount from ${formatUsd(limits.minUsd)} to ${formatUsd(limits.maxUsd)}.`;
  if (trimmed === '') return { ok: false, reason: range };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, reason: range };
  if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) return { ok: false, reason: 'Whole cents only.' };
  if (value < limits.minUsd || value > limits.maxUsd) return { ok: false, reason: range };
  return { ok: true, amountUsd: Math.round(value * 100) / 100 };
};
