import { ConfigError, loadConfig } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import { assertAuthModeAllowed, authModeBanner } from './auth-mode';

const config = (env: Record<string, string>) => loadConfig({ NEO4J_PASSWORD: 'x', ...env });

describe('development identity', () => {
  it('runs on a loopback address outside production, and says what it is', () => {
    for (const HOST of ['127.0.0.1', 'localhost', '::1']) {
      expect(() => assertAuthModeAllowed(config({ HOST }))).not.toThrow();
    }
    expect(authModeBanner(config({}))).toMatch(/DEVELOPMENT identity.*unverified/);
  });

  it('refuses to start in production, naming what to configure instead', () => {
    expect(() => assertAuthModeAllowed(config({ NODE_ENV: 'production' }))).toThrow(ConfigError);
    expect(() => assertAuthModeAllowed(config({ NODE_ENV: 'production' }))).toThrow(/AUTH_MODE=token/);
  });

  it('refuses to listen on a non-loopback address', () => {
    expect(() => assertAuthModeAllowed(config({ HOST: '0.0.0.0' }))).toThrow(/loopback/);
  });
});

describe('token identity', () => {
  it('starts anywhere, in production too', () => {
    expect(() =>
      assertAuthModeAllowed(config({ AUTH_MODE: 'token', NODE_ENV: 'production', HOST: '0.0.0.0' })),
    ).not.toThrow();
    expect(authModeBanner(config({ AUTH_MODE: 'token', JWT_SECRET: 's'.repeat(32) }))).toMatch(/API key or JWT/);
  });

  it('refuses a JWKS without issuer and audience, and a secret shorter than 32 characters', () => {
    expect(() => config({ AUTH_MODE: 'token', JWT_JWKS_URL: 'https://issuer.example/jwks' })).toThrow(
      /JWT_ISSUER and JWT_AUDIENCE/,
    );
    expect(() => config({ AUTH_MODE: 'token', JWT_SECRET: 'short' })).toThrow(/32 characters/);
  });
});
