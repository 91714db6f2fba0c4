import type { GraphQLError } from 'graphql';
import type { Identity } from '../auth/identity';

/** What may close a socket: anything the credential itself caused. An outage or a rate limit does not. */
const refusesCredential = (error: unknown): boolean => {
  const code = (error as Partial<GraphQLError>).extensions?.code;
  return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
};

/** setTimeout's longest delay (about 24.8 days); a later expiry is checked by the periodic recheck anyway. */
const maxTimerMs = 2 ** 31 - 1;

interface Watched {
  identity: Identity;
  readonly verify: () => Promise<Identity | undefined>;
  readonly close: (reason: string) => void;
  readonly timers: NodeJS.Timeout[];
}

export interface SocketIdentities {
  /** Keeps verifying the socket's credential every `recheckMs`, and closes it when its token expires. */
  watch(
    socket: object,
    identity: Identity,
    verify: () => Promise<Identity | undefined>,
    close: (reason: string) => void,
  ): void;
  /** Verifies the credential now; the identity, or undefined after closing the socket for it. */
  reverify(socket: object): Promise<Identity | undefined>;
  forget(socket: object): void;
  close(): void;
}

/**
 * The identities of open sockets, verified again and again: a revoked API key or an expired token
 * closes its socket within `recheckMs` (an expiry at once). A check that fails for an outage keeps the
 * socket and its identity as they were.
 */
export const watchSocketIdentities = ({ recheckMs }: { readonly recheckMs: number }): SocketIdentities => {
  const watched = new Map<object, Watched>();

  const end = (socket: object, reason: string) => {
    const entry = watched.get(socket);
    if (!entry) return;
    forget(socket);
    entry.close(reason);
  };

  const forget = (socket: object) => {
    const entry = watched.get(socket);
    if (!entry) return;
    for (const timer of entry.timers) clearTimeout(timer);
    watched.delete(socket);
  };

  const reverify = async (socket: object): Promise<Identity | undefined> => {
    const entry = watched.get(socket);
    if (!entry) return undefined;
    try {
      const identity = await entry.verify();
      if (identity) {
        entry.identity = identity;
        return identity;
      }
      end(socket, 'Forbidden: the credential is no longer valid');
      return undefined;
    } catch (error) {
      if (!refusesCredential(error)) return entry.identity;
      end(socket, 'Forbidden: the credential is no longer valid');
      return undefined;
    }
  };

  return {
    watch(socket, identity, verify, close) {
      const recheck = setInterval(() => void reverify(socket), recheckMs);
      recheck.unref();
      const timers: NodeJS.Timeout[] = [recheck];
      if (identity.expiresAt) {
        const expiry = setTimeout(
          () => end(socket, 'Forbidden: the token expired'),
          Math.min(maxTimerMs, Math.max(0, identity.expiresAt.getTime() - Date.now())),
        );
        expiry.unref();
        timers.push(expiry);
      }
      watched.set(socket, { identity, verify, close, timers });
    },
    reverify,
    forget,
    close() {
      for (const socket of [...watched.keys()]) forget(socket);
    },
  };
};
