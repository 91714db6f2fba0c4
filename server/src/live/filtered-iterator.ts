/**
 * The values of `source` that `keep` accepts, as an async iterator whose `return()` reaches `source`
 * at once, even while a `next()` is waiting on it; the waiting `next()` then ends with `done`.
 *
 * An `async function*` wrapping `source` would not do: a generator's `return()` is queued behind the
 * `await source.next()` it is suspended in, so a quiet source is never released. graphql-ws awaits
 * that `return()` when a socket closes or a subscription completes, so the Redis subscription and the
 * connection gauge would stay until the tenant's next event.
 */
export const filteredIterator = <T>(
  source: AsyncIterator<T>,
  keep: (value: T) => boolean,
): AsyncIterableIterator<T> => {
  let finished = false;
  const done = (): IteratorResult<T> => ({ value: undefined, done: true });
  const release = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    await source.return?.();
  };
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (!finished) {
        let result: IteratorResult<T>;
        try {
          result = await source.next();
        } catch (error) {
          await release().catch(() => undefined);
          throw error;
        }
        if (finished) break; // released while waiting: whatever came is not delivered
        if (result.done) {
          finished = true;
          break;
        }
        if (keep(result.value)) return result;
      }
      return done();
    },
    async return() {
      await release();
      return done();
    },
    async throw(error?: unknown) {
      await release();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};
