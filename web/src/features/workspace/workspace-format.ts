/** A commit id as people read it: its first 8 hex digits. */
export const shortCommit = (commit: string): string => commit.slice(0, 8);

/** A duration for people: `850 ms`, `12.3 s`, `2 min 5 s`. */
export const formatDuration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
};

const sizeUnits = ['bytes', 'KiB', 'MiB', 'GiB'] as const;

/** A file size for people: `812 bytes`, `4.2 KiB`, `1.5 MiB`. */
export const formatBytes = (bytes: number): string => {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < sizeUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${sizeUnits[unit]}`;
};
