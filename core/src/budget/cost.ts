/** Micro-USD for a number of tokens at a price per 1k tokens; rounded up, so usage is never under-billed. */
export const costOfTokens = (tokens: number, microUsdPer1kTokens: number): number =>
  Math.ceil((Math.max(0, tokens) * microUsdPer1kTokens) / 1000);

/** How many tokens an amount of micro-USD pays for (rounded down: never more than was paid). */
export const tokensFor = (microUsd: number, microUsdPer1kTokens: number): number =>
  Math.floor((Math.max(0, microUsd) * 1000) / microUsdPer1kTokens);
