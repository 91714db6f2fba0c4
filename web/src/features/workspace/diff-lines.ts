/** What a line of a unified diff is, for colouring it. */
export type DiffLineKind = 'file' | 'hunk' | 'added' | 'removed' | 'context' | 'meta';

export interface DiffLine {
  /** The line's place in the diff, from 1 (its key when listed). */
  readonly number: number;
  readonly kind: DiffLineKind;
  readonly text: string;
}

const fileHeaders = ['diff --git ', '--- ', '+++ '];
const metaPrefixes = [
  'index ',
  'new file mode',
  'deleted file mode',
  'old mode',
  'new mode',
  'similarity index',
  'rename ',
  'Binary files',
  '\\ No newline',
];

/**
 * The kind of one line of `git diff` output. `--- a/x` and `+++ b/x` are file headers, not a removed
 * and an added line (a removed line whose text starts with `-- ` reads as a header: rare, and harmless).
 */
export const classifyDiffLine = (line: string): DiffLineKind => {
  if (fileHeaders.some((prefix) => line.startsWith(prefix))) return 'file';
  if (line.startsWith('@@')) return 'hunk';
  if (metaPrefixes.some((prefix) => line.startsWith(prefix))) return 'meta';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
};

/** A diff split into classified lines (a trailing newline adds no empty line). */
export const diffLines = (diff: string): DiffLine[] => {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text, index) => ({ number: index + 1, kind: classifyDiffLine(text), text }));
};

/** How many lines a diff adds and removes. */
export const diffStat = (lines: readonly DiffLine[]): { added: number; removed: number } => ({
  added: lines.filter((line) => line.kind === 'added').length,
  removed: lines.filter((line) => line.kind === 'removed').length,
});
