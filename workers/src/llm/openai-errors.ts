import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { type LlmError, LlmPermanentError, LlmRateLimitedError, LlmTransientError } from './llm-errors';
import { parseRetryAfterMs } from './retry-after';

/** What the provider knows about the call that failed. */
export interface FailedCall {
  /** Redacted from every message: servers echo keys back ("Incorrect API key provided: sk-..."). */
  readonly apiKey: string;
  readonly timeoutMs: number;
  /** Our own deadline fired (it also covers reading the body, which the client's timeout does not). */
  readonly timedOut: boolean;
  /** The caller's signal fired (worker shutdown). */
  readonly callerAborted: boolean;
}

const maxMessageLength = 200;

/** Same set the openai client itself would retry, were its retries not switched off. */
const isTransientStatus = (status: number): boolean => status === 408 || status === 409 || status >= 500;

/** One short line, key and bearer tokens removed, without the leading status openai puts there. */
const shortMessage = (message: string, apiKey: string): string => {
  const redacted = apiKey === '' ? message : message.replaceAll(apiKey, '[redacted]');
  const line = redacted
    .replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/^\d{3}\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength)}…` : line;
};

const fromStatus = (error: APIError, status: number, apiKey: string): LlmError => {
  const message = shortMessage(error.message, apiKey);
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(error.headers);
    return new LlmRateLimitedError(`LLM rate limited (429), retry after ${retryAfterMs} ms: ${message}`, retryAfterMs);
  }
  if (isTransientStatus(status)) return new LlmTransientError(`LLM server error ${status}: ${message}`);
  return new LlmPermanentError(`LLM request rejected with status ${status}: ${message}`, status);
};

/**
 * Turns whatever the openai client threw into the LlmError the worker acts on. The client is built
 * with `maxRetries: 0`, so a 429 or 5xx arrives here at once and the job queue decides when to retry.
 */
export const toLlmError = (error: unknown, call: FailedCall): LlmError => {
  if (call.timedOut || error instanceof APIConnectionTimeoutError) {
    return new LlmTransientError(`LLM request timed out after ${call.timeoutMs} ms`);
  }
  if (call.callerAborted || error instanceof APIUserAbortError) {
    return new LlmTransientError('LLM request aborted by the caller');
  }
  if (error instanceof APIConnectionError) {
    return new LlmTransientError(`LLM connection failed: ${shortMessage(error.message, call.apiKey)}`, {
      cause: error.cause,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return fromStatus(error, error.status, call.apiKey);
  }
  // A 200 declared as JSON whose body is not: the client's response.json() throws a bare SyntaxError.
  if (error instanceof SyntaxError) {
    return new LlmTransientError('LLM malformed response: body is not valid JSON', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmTransientError(`LLM request failed: ${shortMessage(message, call.apiKey)}`);
};
