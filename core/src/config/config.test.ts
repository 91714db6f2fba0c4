import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './config';

describe('loadConfig', () => {
  it('reads TRUST_PROXY as a hop count or a list of proxies, and refuses "true" (anyone could pick an address)', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({ TRUST_PROXY: '' }).http.trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
  });

  it('gives working local defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8000, metricsPort: 9102, trustProxy: false });
    expect(config.workers.metricsPort).toBe(5555);
    expect(config.orchestrator.metricsPort).toBe(9103);
    expect(config.neo4j.uri).toBe('bolt://127.0.0.1:7687');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.defaultTenant).toBe('demo');
  });

  it('retries Neo4j transactions for 2 s by default, and as long as NEO4J_MAX_RETRY_MS says (a cluster election)', () => {
    expect(loadConfig({}).neo4j.maxRetryMs).toBe(2_000);
    expect(loadConfig({ NEO4J_MAX_RETRY_MS: '30000' }).neo4j.maxRetryMs).toBe(30_000);
    expect(() => loadConfig({ NEO4J_MAX_RETRY_MS: '-1' })).toThrow(ConfigError);
  });

  it('treats an empty DEFAULT_TENANT as "header required"', () => {
    expect(loadConfig({ DEFAULT_TENANT: '' }).defaultTenant).toBeUndefined();
  });

  it('lists every problem at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', NEO4J_URI: 'http://x', DEFAULT_TENANT: 'Has:Colon' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'PORT',
        'NEO4J_URI',
        'DEFAULT_TENANT',
      ]);
    }
  });

  it('logs human-readable in development and JSON elsewhere, unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info', pretty: true });
    expect(loadConfig({ NODE_ENV: 'production' }).log.pretty).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }).log.pretty).toBe(false);
    expect(loadConfig({ LOG_FORMAT: '' }).log.pretty).toBe(true);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
  });

  it('allows webhooks to Slack and Discord only, by default', () => {
    expect(loadConfig({}).notifications.allowedHosts).toEqual(['hooks.slack.com', 'discord.com', 'discordapp.com']);
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: ' 127.0.0.1, Hooks.Example.org ' }).notifications.allowedHosts).toEqual([
      '127.0.0.1',
      'hooks.example.org',
    ]);
  });

  it('lists the ports of our own services, which loopback webhooks may not use, from the settings', () => {
    expect([...loadConfig({}).notifications.ownServicePorts].sort((a, b) => a - b)).toEqual([
      3000, 5173, 5555, 6379, 7474, 7687, 8000, 9090, 9102, 9103,
    ]);
    const moved = loadConfig({
      PORT: '8100',
      METRICS_PORT: '0',
      REDIS_URL: 'redis://127.0.0.1:6390/2',
      NEO4J_URI: 'neo4j://db.internal:7690',
    }).notifications.ownServicePorts;
    expect(moved).toEqual(expect.arrayContaining([8100, 6390, 7690]));
    expect(moved).not.toContain(0);
    expect(moved).not.toContain(6379);
    expect(loadConfig({ REDIS_URL: 'redis://cache' }).notifications.ownServicePorts).toContain(6379);
  });

  it('redacts secrets for logs', () => {
    const config = redactConfig(loadConfig({ NEO4J_PASSWORD: 's3cr3t', REDIS_URL: 'redis://user:pw@host:6379' }));
    expect(JSON.stringify(config)).not.toContain('s3cr3t');
    expect(config.redis.url).toBe('redis://***@host:6379');
  });
});
