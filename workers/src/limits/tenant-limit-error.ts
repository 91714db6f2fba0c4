import type { tenantLimitKinds } from '@ai-org/core';

export type TenantLimitKind = (typeof tenantLimitKinds)[number];

/**
 * A tenant limit holds the job back: no running slot is free, or the tokens-per-minute window cannot
 * cover the next LLM call. Not a failure: the job goes back to its queue, delayed by `retryInMs`, and
 * uses none of its attempts. `reason` is what its task shows meanwhile.
 */
export class TenantLimitError extends Error {
  constructor(
    readonly kind: TenantLimitKind,
    readonly reason: string,
    readonly retryInMs: number,
  ) {
    super(reason);
    this.name = 'TenantLimitError';
  }
}
