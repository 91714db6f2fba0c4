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

  describe('to this machine (loopback), checked by address and port, not by spelling', () => {
    /** Redis, Neo4j Bolt, API, metrics ports, as the config lists them. */
    const ownPorts = [6379, 7687, 8000, 9102, 5555, 9103];
    const spellings = ['127.0.0.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.1', '0x7f.0.0.1'];

    it.each(spellings)('refuses %s on the port of one of our own services', (host) => {
      for (const port of ownPorts) {
        const check = checkWebhookUrl(`http://${host}:${port}/hook`, 'slack', ['127.0.0.1'], ownPorts);
        expect([port, check]).toEqual([port, { ok: false, problem: expect.stringMatching(/own services/) }]);
      }
    });

    it.each(spellings)('stores %s on another explicit port as 127.0.0.1', (host) => {
      expect(checkWebhookUrl(`http://${host}:4010/hook`, 'slack', ['127.0.0.1'], ownPorts)).toEqual({
        ok: true,
        url: 'http://127.0.0.1:4010/hook',
      });
    });

    it.each([
      ['localhost', 'http://localhost:6379/hook', ['localhost']],
      ['localhost with a trailing dot', 'http://localhost.:7687/hook', ['localhost']],
      ['::1', 'http://[::1]:9102/hook', ['::1']],
      ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:6379/hook', ['::ffff:7f00:1']],
      ['another 127/8 address', 'http://127.0.0.2:8000/hook', ['127.0.0.2']],
      ['0.0.0.0 (reaches this machine)', 'https://0.0.0.0:6379/hook', ['0.0.0.0']],
      ['https to loopback', 'https://127.0.0.1:5555/hook', ['127.0.0.1']],
    ])('refuses %s on one of our ports', (_name, url, allowed) => {
      const check = checkWebhookUrl(url, 'slack', allowed, ownPorts);
      expect(check).toEqual({ ok: false, problem: expect.stringMatching(/own services/) });
    });

    it.each([
      ['no port', 'http://127.0.0.1/hook'],
      ['the scheme default port', 'http://127.0.0.1:80/hook'],
      ['https without a port', 'https://localhost/hook'],
    ])('refuses a loopback URL with %s: it must name its port', (_name, url) => {
      const check = checkWebhookUrl(url, 'slack', ['127.0.0.1', 'localhost'], ownPorts);
      expect(check).toEqual({ ok: false, problem: expect.stringMatching(/explicit port/) });
    });

    it('compares hosts in their canonical form, the allowed list included', () => {
      expect(checkWebhookUrl('http://127.0.0.1:4010/hook', 'slack', ['0x7f000001'], ownPorts).ok).toBe(true);
      expect(checkWebhookUrl('http://localhost.:4010/hook', 'slack', ['localhost'], ownPorts).ok).toBe(true);
      expect(checkWebhookUrl('http://[::ffff:127.0.0.1]:4010/hook', 'slack', ['::ffff:127.0.0.1'], ownPorts).ok).toBe(
        true,
      );
      // Another spelling of another address is still another host.
      expect(checkWebhookUrl('http://0x7f000002:4010/hook', 'slack', ['127.0.0.1'], ownPorts).ok).toBe(false);
    });
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
