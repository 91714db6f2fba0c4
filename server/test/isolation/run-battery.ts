import type { TestApp } from '../test-app';
import { type Caller, gqlAs } from './as-tenant';
import type { Request } from './battery';

/** JSON with every array sorted, so two answers compare equal whatever order equal rows came in. */
export const canonical = (value: unknown): string => {
  const normalise = (item: unknown): unknown => {
    if (Array.isArray(item))
      return item.map(normalise).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(
        Object.entries(item)
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([key, inner]) => [key, normalise(inner)]),
      );
    }
    return item;
  };
  return JSON.stringify(normalise(value));
};

/**
 * Runs every request as `caller`, a few at a time. Answers are keyed `<request>/<alias>` (one entry per
 * root field of the request, plus `<request>/errors`), in canonical form.
 */
export const runBattery = async (
  app: TestApp,
  caller: Caller,
  requests: readonly Request[],
  concurrency = 4,
): Promise<Map<string, string>> => {
  const answers = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next];
      next += 1;
      if (!request) continue;
      const response = await gqlAs(app, caller, request.query, request.variables);
      answers.set(`${request.name}/errors`, canonical(response.errors ?? null));
      for (const [alias, value] of Object.entries(response.data ?? {})) {
        answers.set(`${request.name}/${alias}`, canonical(value));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
};

/** Keys whose answers differ between two runs (or exist in one only). */
export const differing = (left: Map<string, string>, right: Map<string, string>): string[] =>
  [...new Set([...left.keys(), ...right.keys()])].filter((key) => left.get(key) !== right.get(key)).sort();

/** The differing answers side by side (shortened), for a failure message that shows the leak. */
export const explainDifferences = (left: Map<string, string>, right: Map<string, string>) =>
  differing(left, right).map((key) => ({
    key,
    left: left.get(key)?.slice(0, 400),
    right: right.get(key)?.slice(0, 400),
  }));
