import { type Config, ConfigError } from '@ai-org/core';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Development identity trusts a header: anyone who reaches the API may be any tenant. So it runs only
 * on a loopback address and never in production; anything else must use token mode.
 */
export const assertAuthModeAllowed = (config: Config): void => {
  if (config.auth.mode !== 'development') return;
  const problems: string[] = [];
  if (config.env === 'production') {
    problems.push(
      'AUTH_MODE: development identity (the x-tenant-id header) is refused with NODE_ENV=production; set AUTH_MODE=token and JWT_SECRET or JWT_JWKS_URL, or use API keys (npm run tenant:create)',
    );
  }
  if (!loopbackHosts.has(config.http.host)) {
    problems.push(
      `AUTH_MODE: development identity listens only on a loopback address, not HOST=${config.http.host}; set AUTH_MODE=token to serve other machines`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
};

/** One line for start-up banners: which identity mode runs, and what that means. */
export const authModeBanner = (config: Config): string =>
  config.auth.mode === 'development'
    ? 'DEVELOPMENT identity: the x-tenant-id header names the tenant, unverified (loopback only; AUTH_MODE=token for real sign-in)'
    : `token identity: Authorization: Bearer <API key${config.auth.jwt.secret || config.auth.jwt.jwksUrl ? ' or JWT' : ''}> on every request`;
