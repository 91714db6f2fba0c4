/**
 * Group commit: writes submitted while a write is under way wait for it to end, then go together in
 * the next one. A caller alone is written at once (nothing waits for a timer); callers at the same
 * time share a transaction. Each call resolves, with its own item's result, only once the write
 * holding its item has committed, and fails with that write's error.
 */
export class GroupCommit<T, R> {
  private pending: { readonly item: T; resolve(result: R): void; reject(error: unknown): void }[] = [];
  private writing = false;

  constructor(
    /** Writes the items and returns one result per item, in their order. */
    private readonly write: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((waiting) => waiting.item));
        for (const [index, waiting] of batch.entries()) waiting.resolve(results[index] as R);
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.writing = false;
  }
}
