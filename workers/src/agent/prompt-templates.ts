import { readFileSync } from 'node:fs';
import Mustache from 'mustache';

const promptsDir = new URL('../../../prompts/', import.meta.url);

/** A Mustache template from `prompts/`, with the variables its `{{! expects: … }}` line declares. */
export interface PromptTemplate {
  readonly name: string;
  readonly source: string;
  readonly expects: readonly string[];
}

export const loadTemplate = (name: string): PromptTemplate => {
  const source = readFileSync(new URL(`${name}.mustache`, promptsDir), 'utf8');
  const declaration = /^\{\{!\s*expects:([^}]*)\}\}\s*\n/.exec(source);
  if (!declaration?.[1]) throw new Error(`prompts/${name}.mustache must start with {{! expects: … }}`);
  const expects = declaration[1].split(',').map((variable) => variable.trim());
  return { name, source: source.slice(declaration[0].length), expects };
};

type Token = [string, string, number, number, Token[]?];

/**
 * Every variable a template reads, with section names as prefixes (`inputs.taskId` inside
 * `{{#inputs}}`). A `{{#x.length}}` section only tests x, so it adds no prefix.
 */
export const usedVariables = (template: PromptTemplate): string[] => {
  const found = new Set<string>();
  const walk = (tokens: Token[], prefix: string) => {
    for (const [type, value, , , children] of tokens) {
      if (type === 'name' || type === '&' || type === '{') found.add(prefix + value);
      if (type === '#' || type === '^') {
        found.add(prefix + value);
        walk(children ?? [], value.endsWith('.length') ? prefix : `${prefix}${value}.`);
      }
    }
  };
  walk(Mustache.parse(template.source) as Token[], '');
  return [...found].map((name) => name.replace(/\.length$/, '')).filter((name, i, all) => all.indexOf(name) === i);
};

/** Renders as plain text: prompts are not HTML, so nothing is escaped. */
export const renderTemplate = (template: PromptTemplate, view: object): string =>
  Mustache.render(template.source, view, {}, { escape: (text: string) => text });
