import { tenantIdPattern } from '@ai-org/core';
import { parseOptions, printSecretOnce, runAccessCommand, UsageError } from './access-command';

// `npm run tenant:create -- --tenant acme [--name "Acme"]`: creates the tenant, prints its first owner key once.
process.exitCode = await runAccessCommand({
  usage: 'npm run tenant:create -- --tenant <id> [--name "<display name>"]',
  parse: () => {
    const { tenant, name } = parseOptions(process.argv.slice(2), ['tenant', 'name']);
    if (tenant === undefined) throw new UsageError('--tenant is required');
    if (!tenantIdPattern.test(tenant)) {
      throw new UsageError('--tenant must be a tenant id: lowercase letters, digits, "-" or "_", at most 63');
    }
    return { tenant, name };
  },
  run: async ({ tenant, name }, { tenants }) => {
    const created = await tenants.createWithOwnerKey(tenant, name);
    printSecretOnce(
      `created tenant "${created.tenantId}"; its owner API key "${created.key.name}" (id ${created.key.id}):`,
      created.secret,
    );
  },
});
