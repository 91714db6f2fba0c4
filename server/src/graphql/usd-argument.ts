import { badInput, microUsdPerUsd } from '@ai-org/core';

/** A USD argument as integer micro-USD: a finite number from 0 to `maxUsd`, else BAD_USER_INPUT naming it. */
export const microUsdArgument = (usd: number, name: string, maxUsd: number): number => {
  if (!Number.isFinite(usd) || usd < 0 || usd > maxUsd) throw badInput(`${name} must be a number from 0 to ${maxUsd}`);
  return Math.round(usd * microUsdPerUsd);
};
