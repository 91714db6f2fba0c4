import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './access-command';

describe('access command arguments', () => {
  it('reads the named string options', () => {
    expect(parseOptions(['--tenant', 'acme', '--name', 'Acme Inc'], ['tenant', 'name'])).toEqual({
      tenant: 'acme',
      name: 'Acme Inc',
    });
    expect(parseOptions(['--tenant=acme'], ['tenant', 'name'])).toEqual({ tenant: 'acme' });
    expect(parseOptions([], ['tenant'])).toEqual({});
  });

  it('refuses unknown options, missing values and stray arguments as usage errors', () => {
    for (const args of [['--bogus', 'x'], ['--tenant'], ['acme'], ['--tenant', 'acme', 'extra'], ['-t', 'acme']]) {
      expect(() => parseOptions(args, ['tenant', 'name']), args.join(' ')).toThrow(UsageError);
    }
  });
});
