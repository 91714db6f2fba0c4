/**
 * Counts what each tenant holds at once (running operations, open sockets) against one capacity.
 * In-process: the cap holds per API instance, so N instances allow up to N × capacity per tenant —
 * enough to keep one tenant from holding an instance's whole Neo4j pool, which is per instance too.
 */
export class TenantSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly capacity: number) {}

  /** Takes a slot and answers true, or answers false at once when the tenant holds `capacity` already. */
  tryAcquire(tenantId: string): boolean {
    const count = this.held.get(tenantId) ?? 0;
    if (count >= this.capacity) return false;
    this.held.set(tenantId, count + 1);
    return true;
  }

  /** Gives one slot back (a release without a slot held is ignored). */
  release(tenantId: string): void {
    const count = this.held.get(tenantId) ?? 0;
    if (count <= 1) this.held.delete(tenantId);
    else this.held.set(tenantId, count - 1);
  }

  inUse(tenantId: string): number {
    return this.held.get(tenantId) ?? 0;
  }
}
