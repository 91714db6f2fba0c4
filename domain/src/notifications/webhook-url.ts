import type { NotificationChannel } from '@ai-org/core';
import { plainTextProblem } from '../text/plain-text';
import { canonicalHost, isLoopbackHost } from './webhook-address';

export const maxWebhookUrlLength = 2_048;

/** The vendors' own hosts, and the path their incoming webhooks live under. */
const vendorPaths: Readonly<Record<string, { channel: NotificationChannel; pathPrefix: string }>> = {
  'hooks.slack.com': { channel: 'slack', pathPrefix: '/services/' },
  'discord.com': { channel: 'discord', pathPrefix: '/api/webhooks/' },
  'discordapp.com': { channel: 'discord', pathPrefix: '/api/webhooks/' },
};

export type WebhookUrlCheck =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Whether `raw` may be stored as a webhook of `channel`: plain text (no control characters, valid
 * Unicode), an https URL whose host is allowed (plain
 * http only to a loopback host that is allowed too), no credentials in it, and — on Slack's and
 * Discord's own hosts — the channel's webhook path. Hosts are compared in their canonical form
 * (`0x7f000001` is `127.0.0.1`). A URL that reaches this machine (loopback, http or https) must name
 * an explicit port that is none of `ownPorts` (Redis, Neo4j, the API, metrics: our own services).
 * Problems never repeat the URL (it is a secret).
 */
export const checkWebhookUrl = (
  raw: string,
  channel: NotificationChannel,
  allowedHosts: readonly string[],
  ownPorts: readonly number[] = [],
): WebhookUrlCheck => {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'must not be empty' };
  if (trimmed.length > maxWebhookUrlLength) {
    return { ok: false, problem: `must be at most ${maxWebhookUrlLength} characters` };
  }
  // The URL parser would quietly drop tabs and newlines, percent-encode other controls and turn a lone
  // surrogate into U+FFFD: what is stored would not be what was given.
  const textProblem = plainTextProblem(trimmed);
  if (textProblem) return { ok: false, problem: textProblem };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, problem: 'must be an absolute https URL' };
  }
  const host = canonicalHost(url.hostname);
  const allowed = allowedHosts.map(canonicalHost);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'must be an https URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'must not contain credentials' };
  if (!allowed.includes(host)) {
    return { ok: false, problem: `must point at an allowed host (${allowedHosts.join(', ') || 'none configured'})` };
  }
  const loopback = isLoopbackHost(host);
  if (url.protocol === 'http:' && !loopback) {
    return { ok: false, problem: 'must be an https URL (plain http only to a loopback host)' };
  }
  if (loopback && url.port === '') {
    return { ok: false, problem: 'must name an explicit port when it points at this machine (a loopback host)' };
  }
  if (loopback && ownPorts.includes(Number(url.port))) {
    return {
      ok: false,
      problem: `must not point at port ${url.port} of this machine: it is one of AI-Org's own services`,
    };
  }
  const vendor = vendorPaths[host];
  if (vendor && vendor.channel !== channel) {
    return { ok: false, problem: `is a ${vendor.channel} webhook, not a ${channel} one` };
  }
  if (vendor && !url.pathname.startsWith(vendor.pathPrefix)) {
    return { ok: false, problem: `must be a ${channel} incoming-webhook URL (${host}${vendor.pathPrefix}…)` };
  }
  url.hash = '';
  return { ok: true, url: url.toString() };
};

/**
 * What the API shows of a stored URL: scheme and host, then only its last four characters
 * (`https://hooks.slack.com/…/••••wXyZ`), enough to tell webhooks apart, never enough to use one.
 */
export const maskWebhookUrl = (raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '/…/••••'; // not a URL: never stored, and nothing of it is shown
  }
  const rest = `${url.pathname}${url.search}`.replace(/\/+$/, '');
  const tail = rest.length >= 12 ? rest.slice(-4) : '';
  return `${url.protocol}//${url.host}/…/••••${tail}`;
};
