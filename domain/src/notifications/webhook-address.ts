import { BlockList, isIP } from 'node:net';

/**
 * A host as the WHATWG URL parser writes it — `0x7f000001`, `2130706433` and `127.1` all become
 * `127.0.0.1`, `::FFFF:127.0.0.1` becomes `::ffff:7f00:1` — without IPv6 brackets or a trailing dot.
 * Used for webhook URLs and the allowed-host list alike, so hosts are compared as addresses, not as
 * spellings. What cannot be a host stays as given, lowercased.
 */
export const canonicalHost = (host: string): string => {
  const lowered = host.trim().toLowerCase();
  const bare = lowered.replace(/^\[(.*)\]$/, '$1');
  let hostname = bare;
  try {
    hostname = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
  } catch {
    // not a host name: compared as given
  }
  return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
};

/** Addresses that reach this machine: loopback, and the unspecified address (0.0.0.0, ::), which Linux connects locally. */
const thisMachine = new BlockList();
thisMachine.addSubnet('127.0.0.0', 8, 'ipv4');
thisMachine.addSubnet('0.0.0.0', 8, 'ipv4');
thisMachine.addAddress('::1', 'ipv6');
thisMachine.addAddress('::', 'ipv6');

/** Addresses that are not on the public internet (RFC 1918, link-local and cloud metadata, CGNAT, ULA, multicast, reserved). */
const internal = new BlockList();
for (const [network, prefix] of [
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(network, prefix, 'ipv6');

const family = (address: string): 'ipv4' | 'ipv6' | undefined => {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
};

/** A canonical host that reaches this machine: `localhost` (and `*.localhost`), 127/8, ::1, 0.0.0.0, ::, IPv4-mapped forms. */
export const isLoopbackHost = (host: string): boolean => {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const type = family(host);
  return type !== undefined && thisMachine.check(host, type);
};

/** An IP address that is loopback or not on the public internet (private, link-local, …). */
export const isInternalAddress = (address: string): boolean => {
  const type = family(address);
  return type !== undefined && (thisMachine.check(address, type) || internal.check(address, type));
};
