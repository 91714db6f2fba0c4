import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { canonicalHost, isInternalAddress, isLoopbackHost } from '@ai-org/domain';
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

/** Every address a host name resolves to. */
export type WebhookLookup = (host: string) => Promise<readonly string[]>;

const systemLookup: WebhookLookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map(({ address }) => address);

/**
 * Where a webhook call would go, checked before each send: a host name that resolves to a loopback or
 * private address (an allowed host's DNS pointing inside) is refused for good. Only a host that is
 * itself allowed may be internal: a literal address in `allowedHosts` (any spelling of it), or an
 * allowed loopback name such as `localhost` that resolves to loopback only. The connection resolves
 * the name again; an allowed host's DNS is trusted not to change its answer in between.
 */
export const checkWebhookAddress = async (
  url: string,
  allowedHosts: readonly string[],
  lookup: WebhookLookup = systemLookup,
): Promise<void> => {
  const host = canonicalHost(new URL(url).hostname);
  const allowed = allowedHosts.map(canonicalHost).includes(host);
  let addresses: readonly string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      throw new WebhookRetryableError(`webhook unreachable (${typeof code === 'string' ? code : codeOf(error)})`);
    }
  }
  const internal = addresses.filter(isInternalAddress);
  if (internal.length === 0) return;
  const allowedInternal = allowed && (isIP(host) || (isLoopbackHost(host) && internal.every(isLoopbackHost)));
  if (!allowedInternal) throw new WebhookPermanentError('webhook host resolves to a loopback or private address');
};

/**
 * POSTs `payload` as JSON to a webhook, giving up after `timeoutMs` (connect, answer and body
 * included). Redirects are not followed (an allowed host must not bounce us elsewhere). The address
 * is checked first (`checkWebhookAddress`). Throws WebhookRetryableError or WebhookPermanentError;
 * their messages never contain the URL.
 */
export const createWebhookSender =
  (options: {
    readonly timeoutMs: number;
    /** WEBHOOK_ALLOWED_HOSTS: which loopback or private hosts may be sent to. */
    readonly allowedHosts: readonly string[];
    readonly lookup?: WebhookLookup;
  }): WebhookSender =>
  async (url, payload) => {
    await checkWebhookAddress(url, options.allowedHosts, options.lookup);
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
