import { createServer } from 'node:net';

/**
 * Ports handed out below Linux's default ephemeral range (32768–60999). A port the OS picks for
 * `listen(0)` comes from that range, and so does the local port of every outgoing connection (to Redis,
 * Neo4j …): between our check and a child process's own `listen`, one of those connections could take
 * it (EADDRINUSE). Random choice keeps parallel test files (separate processes) apart.
 */
const lowest = 20_000;
const highest = 32_767;
const handedOut = new Set<number>();

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A port nothing listens on right now, outside the range the OS uses for outgoing connections. */
export const freePort = async (): Promise<number> => {
  for (let tries = 0; tries < 1_000; tries += 1) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${lowest} and ${highest}`);
};
