import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The rows of the README's `| capability | where |` table: capability → the paths in backticks. */
const capabilityTable = (): Map<string, string[]> => {
  const lines = readme.split('\n');
  const header = lines.findIndex((line) => /^\|\s*capability\s*\|\s*where\s*\|\s*$/.test(line));
  const rows = new Map<string, string[]>();
  if (header < 0) return rows;
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [capability = '', where = ''] = line
      .split('|')
      .slice(1)
      .map((cell) => cell.trim());
    rows.set(
      capability.toLowerCase(),
      [...where.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''),
    );
  }
  return rows;
};

/** Every capability the README must locate for a newcomer. */
const required = [
  'tasks',
  'plans',
  'goals',
  'routing',
  'dispatch',
  'budget',
  'ledger',
  'inspection',
  'forecast',
  'subscriptions',
  'metrics',
  'alerts',
  'notifications',
  'web',
  'prompts',
  'dashboards',
  'bench',
];

describe("the README's capability table", () => {
  const table = capabilityTable();

  it('names a place for every capability', () => {
    const capabilities = [...table.keys()];
    const missing = required.filter((name) => !capabilities.some((capability) => capability.includes(name)));
    expect(missing).toEqual([]);
  });

  it('points only at paths that exist', () => {
    const paths = [...table.values()].flat();
    expect(paths.length).toBeGreaterThan(required.length);
    expect(paths.filter((path) => !existsSync(join(root, path)))).toEqual([]);
    expect([...table].filter(([, where]) => where.length === 0).map(([capability]) => capability)).toEqual([]);
  });
});

describe('docs/', () => {
  it('is reachable from the README: every document linked from it or from the docs index it links', () => {
    const index = readFileSync(join(root, 'docs/README.md'), 'utf8');
    expect(readme).toMatch(/\]\((\.\/)?docs\/(README\.md)?\)/);
    const documents = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
      .map((file) => file.split('\\').join('/'))
      .filter((file) => file.endsWith('.md') && file !== 'README.md');
    expect(documents.length).toBeGreaterThan(0);
    const linked = (document: string) =>
      [`](docs/${document})`, `](./docs/${document})`].some((link) => readme.includes(link)) ||
      [`](${document})`, `](./${document})`].some((link) => index.includes(link));
    expect(documents.filter((document) => !linked(document))).toEqual([]);
  });
});
