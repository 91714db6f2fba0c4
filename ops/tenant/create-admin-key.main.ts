import { platformAdminRole } from '@ai-org/core';
import { parseOptions, printSecretOnce, runAccessCommand, UsageError } from './access-command';

// `npm run admin:key:create -- --name ops`: creates a platform-admin API key and prints it once.
process.exitCode = await runAccessCommand({
  usage: 'npm run admin:key:create -- --name <key name>',
  parse: () => {
    const { name } = parseOptions(process.argv.slice(2), ['name']);
    if (name === undefined) throw new UsageError('--name is required');
    return { name };
  },
  run: async ({ name }, { apiKeys }) => {
    const { key, secret } = await apiKeys.create(null, { name, role: platformAdminRole });
    printSecretOnce(`created platform-admin API key "${key.name}" (id ${key.id}):`, secret);
  },
});
