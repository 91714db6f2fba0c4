import { parseRetryAfterMs } from '../llm/retry-after';
import { WebhookPermanentError, WebhookRetryableError } from './webhook-errors';

export type WebhookSender = (url: string, payload: unknown) => Promise<void>;

/** What an answer means: delivered, try again (maybe after Retry-After), or give up. */
export const classifyWebhookStatus = (
  status: number,
  headers?: Headers,
): 'ok' | WebhookRetryableError | WebhookPermanentError => {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429)
    return new WebhookRetryableError('webhook answered 429 (rate limited)', parseRetryAfterMs(headers));
  if (status >= 500 || status === 408) return new WebhookRetryableError(`webhook answered ${status}`);
  if (status >= 300 && status < 400) {
    return new WebhookPermanentError(`webhook answered ${status} (redirects are not followed)`, status);
  }
  return new WebhookPermanentError(`webhook answered ${status}`, status);
};

/** A network failure as a code (`ECONNREFUSED`, `TimeoutError`), never its message (which may hold the URL). */
const codeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return error.name;
  return 'network error';
};

/**
 * POSTs `payload` as JSON to a webhook, giving up after `timeoutMs` (connect, answer and body
 * included). Redirects are not followed (an allowed host must not bounce us elsewhere). Throws
 * WebhookRetryableError or WebhookPermanentError; their messages never contain the URL.
 */
export const createWebhookSender =
  (options: { readonly timeoutMs: number }): WebhookSender =>
  async (url, payload) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'AI-Org notifications' },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const code = codeOf(error);
      throw new WebhookRetryableError(
        code === 'TimeoutError'
          ? `webhook did not answer within ${options.timeoutMs} ms`
          : `webhook unreachable (${code})`,
      );
    }
    // The body is not needed (Slack says "ok", Discord nothing); release the connection.
    await response.body?.cancel().catch(() => undefined);
    const verdict = classifyWebhookStatus(response.status, response.headers);
    if (verdict !== 'ok') throw verdict;
  };
