/** A Redis Cluster to connect to: seed nodes, and the credentials and TLS every node shares. */
export interface RedisClusterNodes {
  /** `host:port` (an IPv6 host in brackets); the client discovers the other nodes from these. */
  readonly nodes: readonly string[];
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** `rediss://`: every node is reached over TLS. */
  readonly tls: boolean;
}

const hostPort = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/;
const urlForm = /^rediss?:\/\//i;

const validPort = (port: string): boolean => Number(port) >= 1 && Number(port) <= 65_535;

interface Entry {
  readonly node: string;
  /** Set only for the URL form: scheme and credentials it names. */
  readonly access?: { readonly tls: boolean; readonly username: string; readonly password: string };
}

const parseEntry = (entry: string): Entry | string => {
  const bad = `"${entry.replace(/\/\/[^@/]*@/, '//***@')}" is not host:port (e.g. 10.0.0.1:6379, or rediss://user:password@10.0.0.1:6379)`;
  if (!urlForm.test(entry)) {
    const match = hostPort.exec(entry);
    return match?.[2] && validPort(match[2]) ? { node: entry } : bad;
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return bad;
  }
  if (!url.hostname || !url.port || !validPort(url.port)) return bad;
  if (!['', '/', '/0'].includes(url.pathname)) return `"${url.host}": a Redis Cluster has only database 0`;
  return {
    node: `${url.hostname}:${url.port}`,
    access: {
      tls: url.protocol === 'rediss:',
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
  };
};

/**
 * Reads REDIS_CLUSTER_NODES: comma-separated `host:port` entries. Credentials and TLS are given in URL
 * form (`rediss://user:password@host:port`), on the first entry or on every one: one cluster has one
 * set of them, so entries that name them must agree. Returns the problems when the list is unusable.
 */
export const parseRedisClusterNodes = (value: string): RedisClusterNodes | { readonly problems: string[] } => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const problems: string[] = [];
  const nodes: string[] = [];
  let access: Entry['access'];
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    if (!nodes.includes(parsed.node)) nodes.push(parsed.node);
    if (!parsed.access) continue;
    if (!access) access = parsed.access;
    else if (
      access.tls !== parsed.access.tls ||
      access.username !== parsed.access.username ||
      access.password !== parsed.access.password
    ) {
      problems.push(
        `"${parsed.node}" names another scheme or other credentials than the first node: give them once, on the first`,
      );
    }
  }
  if (entries.length === 0) problems.push('names no node (host:port, comma-separated)');
  if (problems.length > 0) return { problems };
  return {
    nodes,
    username: access?.username || undefined,
    password: access?.password || undefined,
    tls: access?.tls ?? false,
  };
};
