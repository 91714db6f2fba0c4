import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const cgroupRoot = '/sys/fs/cgroup';

/** This process's own cgroup (v1) of a controller, where a child group may be made. */
const ownGroup = async (controller: string): Promise<string> => {
  const lines = (await readFile('/proc/self/cgroup', 'utf8')).split('\n');
  const line = lines.find((entry) => entry.split(':')[1]?.split(',').includes(controller));
  const path = line?.split(':')[2] ?? '/';
  return join(cgroupRoot, controller, path);
};

/** The number after `key ` in a cgroup file such as pids.events (`max 3`) or memory.oom_control (`oom_kill 1`). */
const counter = async (file: string, key: string): Promise<number> => {
  const text = await readFile(file, 'utf8').catch(() => '');
  return Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
};

/**
 * A pids and a memory cgroup (v1) for one run: the tree's processes and memory, limited together. The
 * command's shell joins them (`procsFiles`) before it executes the sandbox, so every descendant is in.
 */
export interface RunCgroup {
  readonly procsFiles: readonly string[];
  /** Whether the tree was refused a process (pids.max reached) or killed for memory. */
  limitsHit(): Promise<{ processes: boolean; memory: boolean }>;
  /** Kills whatever is left in the groups and removes them. */
  destroy(): Promise<void>;
}

export const createRunCgroup = async (limits: { processes: number; memoryBytes: number }): Promise<RunCgroup> => {
  const name = `ai-org-sandbox-${randomBytes(6).toString('hex')}`;
  const pids = join(await ownGroup('pids'), name);
  const memory = join(await ownGroup('memory'), name);
  await mkdir(pids);
  await mkdir(memory);
  await writeFile(join(pids, 'pids.max'), String(limits.processes));
  await writeFile(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  // Without swap accounting memsw may be absent; the plain limit still holds.
  await writeFile(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)).catch(() => {});

  const killAll = async (group: string) => {
    for (let round = 0; round < 50; round += 1) {
      const pidsLeft = (await readFile(join(group, 'cgroup.procs'), 'utf8').catch(() => ''))
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map(Number);
      if (pidsLeft.length === 0) return;
      for (const pid of pidsLeft) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  return {
    procsFiles: [join(pids, 'cgroup.procs'), join(memory, 'cgroup.procs')],
    async limitsHit() {
      const refused = await counter(join(pids, 'pids.events'), 'max');
      const oomKills = await counter(join(memory, 'memory.oom_control'), 'oom_kill');
      return { processes: refused > 0, memory: oomKills > 0 };
    },
    async destroy() {
      await killAll(pids);
      await killAll(memory);
      await rmdir(pids).catch(() => {});
      await rmdir(memory).catch(() => {});
    },
  };
};
