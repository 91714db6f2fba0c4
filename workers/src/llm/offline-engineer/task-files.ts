import { type ProjectShape, projectFiles, referencesOf } from './project-shapes';

/** What a task is about, read from its description: it decides which of the project's files it writes. */
export type TaskKind = 'input' | 'convert' | 'interface' | 'errors' | 'package' | 'docs' | 'core' | 'whole';

/** The first pattern the description matches wins; quoted text (the goal, in design tasks) is ignored. */
const kindPatterns: readonly (readonly [TaskKind, RegExp])[] = [
  ['package', /\b(?:packag|releas|changelog|version)/i],
  ['errors', /\berrors?\b/i],
  ['convert', /\bconver/i],
  ['input', /\b(?:pars|read|input|data model)/i],
  ['interface', /\b(?:writ|output|interface|cli|command|endpoint|screen)/i],
  ['docs', /\b(?:docs?|document|guide|usage|readme|design)/i],
  ['core', /\b(?:logic|core|implement)/i],
];

export const taskKindOf = (description: string, role: string): TaskKind => {
  if (role === 'ux_ui') return 'docs';
  const own = description.replace(/"[^"]*"/g, '');
  return kindPatterns.find(([, pattern]) => pattern.test(own))?.[0] ?? 'whole';
};

const csvFiles = {
  input: ['src/csv.js', 'test/csv.test.js'],
  convert: ['src/convert.js', 'test/convert.test.js'],
  core: ['src/convert.js', 'test/convert.test.js'],
  interface: ['bin/csv2json.js', 'test/cli.test.js'],
  errors: ['src/csv.js', 'bin/csv2json.js', 'test/csv.test.js', 'test/cli.test.js'],
} as const satisfies Partial<Record<TaskKind, readonly string[]>>;

const isCode = (path: string): boolean => /^(?:src|bin|test)\//.test(path);

/** The files of the project a task of this kind is about, in the project's path order. */
export const filesOfKind = (shape: ProjectShape, kind: TaskKind, paths: readonly string[]): string[] => {
  switch (kind) {
    case 'package':
      return ['package.json', 'README.md', 'CHANGELOG.md'].filter((path) => paths.includes(path));
    case 'docs':
      return ['docs/usage.md', 'README.md'].filter((path) => paths.includes(path));
    case 'whole':
      return [...paths];
    case 'input':
    case 'convert':
    case 'core':
    case 'interface':
    case 'errors':
      return shape === 'csv-to-json-cli' ? [...csvFiles[kind]] : paths.filter(isCode);
  }
};

/** The tests of a listing or a write set, by the name `node --test` finds them by. */
const isTest = (path: string): boolean => /^test\/.*\.test\.js$/.test(path);

export interface TaskFilesInput {
  readonly shape: ProjectShape;
  readonly goal: string;
  readonly kind: TaskKind;
  /** The workspace's files, as list_files gave them. */
  readonly listing: readonly string[];
}

/**
 * What a dev task writes: its own files, plus every file of the project that is missing from the
 * listing and needed by a test (its own or one already there): package.json and, transitively, what the
 * tests import or run. So the project's tests pass after any single task, and since the contents are
 * the project's fixed files, two tasks writing one path write the same bytes.
 */
export const taskFiles = ({ shape, goal, kind, listing }: TaskFilesInput): { path: string; content: string }[] => {
  const files = projectFiles(shape, goal);
  const paths = [...files.keys()];
  const present = new Set(listing);
  const own = filesOfKind(shape, kind, paths);
  // package.json is needed, but what its fields name (bin, exports) is not needed by the tests.
  const needed = new Set<string>(['package.json']);
  const visit = (path: string) => {
    if (needed.has(path) || !files.has(path)) return;
    needed.add(path);
    for (const reference of referencesOf(path, files.get(path) ?? '')) visit(reference);
  };
  for (const path of [...own, ...listing.filter(isTest)]) visit(path);
  const missing = paths.filter((path) => needed.has(path) && !present.has(path) && !own.includes(path));
  return [...own, ...missing].map((path) => ({ path, content: files.get(path) ?? '' }));
};
