export type SocketStatus = 'connecting' | 'live' | 'offline';

export interface SocketState {
  readonly status: SocketStatus;
  /** How many times the socket has (re)connected: each one calls for a fresh snapshot. */
  readonly connections: number;
  /** Why the socket is closed, when the server said so (e.g. 4401 no tenant, 4403 bad tenant). */
  readonly reason: string | null;
}

/** A tiny external store for `useSyncExternalStore`: the graphql-ws connection's state. */
export class SocketStatusStore {
  private state: SocketState = { status: 'connecting', connections: 0, reason: null };
  private readonly listeners = new Set<() => void>();

  readonly getState = (): SocketState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  connecting(): void {
    if (this.state.status !== 'connecting') this.set({ ...this.state, status: 'connecting' });
  }

  connected(): void {
    this.set({ status: 'live', connections: this.state.connections + 1, reason: null });
  }

  closed(reason: string | null): void {
    this.set({ ...this.state, status: 'offline', reason });
  }

  private set(next: SocketState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
