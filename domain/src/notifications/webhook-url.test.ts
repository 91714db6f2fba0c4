import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, maskWebhookUrl } from './webhook-url';

const vendors = ['hooks.slack.com', 'discord.com', 'discordapp.com'];
const slack = 'https://hooks.slack.com/services/T000/B000/abcdefghijklmnopqrstwXyZ';
const discord = 'https://discord.com/api/webhooks/1234567890/tokenTOKENtoken-wXyZ';

describe('checkWebhookUrl', () => {
  it('accepts Slack and Discord incoming-webhook URLs for their own channel', () => {
    expect(checkWebhookUrl(slack, 'slack', vendors)).toEqual({ ok: true, url: slack });
    expect(checkWebhookUrl(`  ${discord}  `, 'discord', vendors)).toEqual({ ok: true, url: discord });
    expect(checkWebhookUrl(discord.replace('discord.com', 'discordapp.com'), 'discord', vendors).ok).toBe(true);
  });

  it.each([
    ['plain http to a vendor', slack.replace('https:', 'http:'), 'slack', /https/],
    ['a host that is not allowed', 'https://evil.example.com/services/x', 'slack', /allowed host/],
    ['another scheme', 'ftp://hooks.slack.com/services/x', 'slack', /https/],
    ['not a URL', 'hooks.slack.com/services/x', 'slack', /absolute/],
    ['an empty string', '   ', 'slack', /empty/],
    ['credentials in the URL', 'https://user:pw@hooks.slack.com/services/x', 'slack', /credentials/],
    ['a Discord URL on the Slack channel', discord, 'slack', /discord webhook/],
    ['a Slack host outside its webhook path', 'https://hooks.slack.com/other/x', 'slack', /incoming-webhook/],
    ['a Discord host outside its webhook path', 'https://discord.com/channels/1/2', 'discord', /incoming-webhook/],
    ['an allowed-looking suffix', 'https://hooks.slack.com.evil.example/services/x', 'slack', /allowed host/],
    ['a very long URL', `${slack}/${'a'.repeat(2_100)}`, 'slack', /at most/],
  ] as const)('refuses %s, without repeating the URL', (_name, url, channel, problem) => {
    const check = checkWebhookUrl(url, channel, vendors);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toMatch(problem);
    expect(check.problem).not.toContain('/services/x');
    expect(check.problem).not.toContain('tokenTOKEN');
  });

  it('allows plain http only to a loopback host that is in the allowed list', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook/abc', 'slack', ['127.0.0.1']).ok).toBe(true);
    expect(checkWebhookUrl('http://[::1]:8080/hook/abc', 'discord', ['::1']).ok).toBe(true);
    expect(checkWebhookUrl('http://localhost/hook', 'slack', ['127.0.0.1']).ok).toBe(false);
    expect(checkWebhookUrl('http://10.0.0.5/hook', 'slack', ['10.0.0.5']).ok).toBe(false);
    expect(checkWebhookUrl('https://10.0.0.5/hook', 'slack', ['10.0.0.5']).ok).toBe(true);
  });

  it('drops a fragment, which is never sent anyway', () => {
    expect(checkWebhookUrl(`${slack}#frag`, 'slack', vendors)).toEqual({ ok: true, url: slack });
  });
});

describe('maskWebhookUrl', () => {
  it('keeps scheme, host and the last four characters only', () => {
    expect(maskWebhookUrl(slack)).toBe('https://hooks.slack.com/…/••••wXyZ');
    expect(maskWebhookUrl(`${discord}/`)).toBe('https://discord.com/…/••••wXyZ');
    expect(maskWebhookUrl('http://127.0.0.1:4000/hook/secret-path-abcd')).toBe('http://127.0.0.1:4000/…/••••abcd');
  });

  it('shows nothing of a short path and nothing of something that is not a URL', () => {
    expect(maskWebhookUrl('https://hooks.slack.com/s/x')).toBe('https://hooks.slack.com/…/••••');
    expect(maskWebhookUrl('secret-token-without-scheme')).toBe('/…/••••');
  });
});
