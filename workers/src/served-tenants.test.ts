import { describe, expect, it } from 'vitest';
import { servedTenants } from './served-tenants';

/** A TenantRepository stand-in: the tenants "in Neo4j", and how often they were read. */
const fakeRepository = (initial: string[]) => {
  const stored = [...initial];
  let reads = 0;
  let failing = false;
  return {
    stored,
    reads: () => reads,
    fail(on: boolean) {
      failing = on;
    },
    async listIds() {
      reads += 1;
      if (failing) throw new Error('neo4j down');
      return [...stored];
    },
  };
};

/** A clock the test moves by hand. */
const clock = () => {
  let ms = 1_000_000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
};

const refreshMs = 5_000;

describe('servedTenants', () => {
  it('with WORKER_TENANTS, serves exactly those tenants and never reads Neo4j', async () => {
    const repository = fakeRepository(['in-neo4j']);
    const tenants = servedTenants(['a', 'b'], repository, { refreshMs });
    expect(await tenants.list()).toEqual(['a', 'b']);
    expect([await tenants.serves('a'), await tenants.serves('b'), await tenants.serves('in-neo4j')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(repository.reads()).toBe(0);
  });

  it('without WORKER_TENANTS, serves the tenants in its own Neo4j and not a tenant that only publishes on Redis', async () => {
    const repository = fakeRepository(['acme', 'globex']);
    const tenants = servedTenants(undefined, repository, { refreshMs, ...clock() });
    expect(await tenants.list()).toEqual(['acme', 'globex']);
    expect(await tenants.serves('acme')).toBe(true);
    expect(await tenants.serves('globex')).toBe(true);
    expect(await tenants.serves('elsewhere')).toBe(false);
  });

  it('answers before the first list() by reading Neo4j once', async () => {
    const repository = fakeRepository(['acme']);
    const tenants = servedTenants(undefined, repository, { refreshMs, ...clock() });
    expect(await Promise.all([tenants.serves('acme'), tenants.serves('elsewhere')])).toEqual([true, false]);
    expect(repository.reads()).toBe(1);
  });

  it('reads Neo4j at most once per refresh interval however many unknown tenants publish', async () => {
    const repository = fakeRepository(['acme']);
    const time = clock();
    const tenants = servedTenants(undefined, repository, { refreshMs, ...time });
    await tenants.list();
    const unknown = Array.from({ length: 200 }, (_, i) => `stranger-${i}`);
    expect(await Promise.all(unknown.map((id) => tenants.serves(id)))).toEqual(unknown.map(() => false));
    for (const id of unknown) expect(await tenants.serves(id)).toBe(false);
    expect(repository.reads()).toBe(1); // the list() alone: nothing new may be looked up yet

    time.advance(refreshMs);
    expect(await Promise.all(unknown.map((id) => tenants.serves(id)))).toEqual(unknown.map(() => false));
    expect(repository.reads()).toBe(2); // one look-up for all of them
  });

  it('picks up a tenant created after the last refresh once the refresh interval has passed', async () => {
    const repository = fakeRepository(['acme']);
    const time = clock();
    const tenants = servedTenants(undefined, repository, { refreshMs, ...time });
    await tenants.list();
    repository.stored.push('newcomer');
    expect(await tenants.serves('newcomer')).toBe(false);
    time.advance(refreshMs);
    expect(await tenants.serves('newcomer')).toBe(true);
  });

  it('stops serving a tenant no longer in Neo4j after the next refresh', async () => {
    const repository = fakeRepository(['acme', 'gone']);
    const tenants = servedTenants(undefined, repository, { refreshMs, ...clock() });
    await tenants.list();
    repository.stored.splice(repository.stored.indexOf('gone'), 1);
    await tenants.list();
    expect(await tenants.serves('gone')).toBe(false);
    expect(await tenants.serves('acme')).toBe(true);
  });

  it('when Neo4j cannot be read, answers from the tenants it knows and does not retry before the interval', async () => {
    const repository = fakeRepository(['acme']);
    const time = clock();
    const tenants = servedTenants(undefined, repository, { refreshMs, ...time });
    await tenants.list();
    time.advance(refreshMs);
    repository.fail(true);
    expect(await tenants.serves('acme')).toBe(true);
    expect(await tenants.serves('stranger')).toBe(false);
    expect(await tenants.serves('stranger')).toBe(false);
    expect(repository.reads()).toBe(2);
  });
});
