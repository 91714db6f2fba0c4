import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricSpecs } from './metric-names';

const specs = Object.values(metricSpecs);
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the metric catalogue', () => {
  it('names every metric in snake_case under the ai_org_ prefix', () => {
    for (const { name } of specs) expect(name).toMatch(/^ai_org_[a-z0-9]+(_[a-z0-9]+)*$/);
  });

  it('ends every name with a unit, and counters with _total', () => {
    for (const { name, type } of specs) {
      if (type === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).toMatch(/_(seconds|usd|ratio|tasks|kilotokens|connections|jobs)$/);
    }
  });

  it('defines each name once', () => {
    const names = specs.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('uses only bounded labels, never ids or text', () => {
    const bounded = new Set([
      'tenant',
      'role',
      'outcome',
      'state',
      'kind',
      'type',
      'operation_type',
      'channel',
      'event',
    ]);
    for (const { labels } of specs) for (const label of labels) expect(bounded).toContain(label);
  });

  it('is documented in the README, metric by metric', () => {
    for (const { name } of specs) expect(readme).toContain(`| \`${name}\` |`);
  });
});
