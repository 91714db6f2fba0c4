import { readdirSync, readFileSync } from 'node:fs';

/**
 * The kinds of project the offline provider can build without a model: a CSV-to-JSON command-line tool,
 * a small string library, and for any other goal an honest placeholder.
 */
export const projectShapes = ['csv-to-json-cli', 'library', 'scaffold'] as const;

export type ProjectShape = (typeof projectShapes)[number];

/** A folder of `prompts/offline/projects/`: a complete project, its goal written as `{{goal}}`. */
type TemplateName = 'csv-to-json-cli' | 'slugify' | 'text-utils' | 'scaffold';

const projectsDir = new URL('../../../../prompts/offline/projects/', import.meta.url);

const mentions = (goal: string, pattern: RegExp): boolean => pattern.test(goal);

export const projectShapeOf = (goal: string): ProjectShape => {
  if (mentions(goal, /\bcsv\b/i) && mentions(goal, /\bjson\b/i)) return 'csv-to-json-cli';
  if (mentions(goal, /\b(?:librar(?:y|ies)|modules?|packages?|utilit(?:y|ies)|utils|helpers?|slug(?:s|ify)?)\b/i)) {
    return 'library';
  }
  return 'scaffold';
};

/** A goal about slugs alone gets the slugify library; any other library goal gets text-utils. */
const templateOf = (shape: ProjectShape, goal: string): TemplateName => {
  if (shape !== 'library') return shape;
  const slugOnly =
    mentions(goal, /\bslug/i) && !mentions(goal, /\b(?:truncat|word[- ]?count|title[- ]?case|text|string)/i);
  return slugOnly ? 'slugify' : 'text-utils';
};

const listFiles = (dir: URL, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );

/** Each template folder, read once: path → text, sorted by path. */
const templates = new Map<TemplateName, ReadonlyMap<string, string>>();
const templateFiles = (name: TemplateName): ReadonlyMap<string, string> => {
  let files = templates.get(name);
  if (!files) {
    const dir = new URL(`${name}/`, projectsDir);
    const paths = listFiles(dir).sort();
    files = new Map(paths.map((path) => [path, readFileSync(new URL(path, dir), 'utf8')]));
    templates.set(name, files);
  }
  return files;
};

/** The goal on one line, as the project's files quote it. */
export const goalLine = (goal: string): string => {
  const line = goal.replace(/\s+/g, ' ').trim();
  return (line.length > 200 ? `${line.slice(0, 200)}…` : line) || 'the product';
};

/** `'{{goal}}'` and `"{{goal}}"` become a JSON string literal (valid in JS and JSON); a bare `{{goal}}` the text. */
const render = (text: string, goal: string): string =>
  text.replace(/(['"])\{\{goal\}\}\1/g, () => JSON.stringify(goal)).replace(/\{\{goal\}\}/g, () => goal);

/** The project's files for a goal: pure and deterministic, the same goal gives byte-identical files. */
export const projectFiles = (shape: ProjectShape, goal: string): ReadonlyMap<string, string> => {
  const line = goalLine(goal);
  const files = templateFiles(templateOf(shape, goal));
  return new Map([...files].map(([path, text]) => [path, render(text, line)]));
};

/**
 * The project's files a file needs: the relative paths its string literals name ('../src/csv.js' in an
 * import or a `new URL(…)`), resolved against the file's folder.
 */
export const referencesOf = (path: string, content: string): string[] => {
  const folder = path.split('/').slice(0, -1);
  return [...content.matchAll(/['"](\.{1,2}\/[^'"\s]+)['"]/g)].map(([, reference = '']) => {
    const parts = [...folder];
    for (const part of reference.split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '.') parts.push(part);
    }
    return parts.join('/');
  });
};
