/** When a 429 says nothing about when to come back. */
export const defaultRetryAfterMs = 5_000;

/** A server asking for an hour is not waited for in one go: the job comes back and asks again. */
export const maxRetryAfterMs = 10 * 60_000;

const clamp = (ms: number): number => Math.min(Math.max(Math.ceil(ms), 0), maxRetryAfterMs);

/**
 * How long a 429 asks us to wait, read the way the openai client itself reads it: `retry-after-ms`
 * (non-standard, OpenAI and Azure send it), else `Retry-After` as seconds or as an HTTP date.
 */
export const parseRetryAfterMs = (headers: Headers | undefined, now: number = Date.now()): number => {
  const millis = headers?.get('retry-after-ms')?.trim();
  if (millis && Number.isFinite(Number(millis))) return clamp(Number(millis));

  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return defaultRetryAfterMs;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return clamp(Number(retryAfter) * 1_000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? defaultRetryAfterMs : clamp(date - now);
};
