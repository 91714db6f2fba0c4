import { loadTemplate, type PromptTemplate, renderTemplate } from '../agent/prompt-templates';
import type { ChatMessage } from './llm-provider';

/** First line of every offline text, so nobody mistakes it for model output. */
export const offlineLabel = '[offline provider: generated without a language model]';

/** Each has its deliverable in `prompts/offline/<role>.mustache`. */
export const offlineRoles = ['architect', 'planner', 'dev', 'ux_ui', 'qa', 'telemetry', 'generic'] as const;

export type OfflineRole = (typeof offlineRoles)[number];

/** Matched against the system prompt; the earliest mention wins ("You are the dev agent; qa reviews"). */
const rolePatterns: readonly (readonly [OfflineRole, RegExp])[] = [
  ['architect', /\barchitect/i],
  ['planner', /\bplanner\b/i],
  ['dev', /\bdev\b|\bdeveloper\b/i],
  ['ux_ui', /\bux[_ /-]?ui\b|\bdesigner\b/i],
  ['qa', /\bqa\b|\btester\b/i],
  ['telemetry', /\btelemetry\b/i],
];

export const roleOf = (messages: readonly ChatMessage[]): OfflineRole => {
  const system = messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n');
  let best: { role: OfflineRole; at: number } = { role: 'generic', at: Number.POSITIVE_INFINITY };
  for (const [role, pattern] of rolePatterns) {
    const at = system.search(pattern);
    if (at >= 0 && at < best.at) best = { role, at };
  }
  return best.role;
};

/** `prompts/offline/<role>.mustache`, read once. */
const templates = new Map<OfflineRole, PromptTemplate>();
const templateOf = (role: OfflineRole): PromptTemplate => {
  let template = templates.get(role);
  if (!template) {
    template = loadTemplate(`offline/${role}`);
    templates.set(role, template);
  }
  return template;
};

/**
 * The last user message carries the task; its first line names it. Agent prompts start it with
 * "Task <id>: <description>", which is kept as the heading and stripped for the description.
 */
const firstLineOf = (messages: readonly ChatMessage[]): string => {
  const task = messages.findLast((message) => message.role === 'user')?.content ?? '';
  return (task.split('\n').find((candidate) => candidate.trim() !== '') ?? '').trim().replace(/\s+/g, ' ');
};

/** Planning prompts start with "Goal: <goal>", kept as the heading like "Task <id>:". */
const taskOf = (messages: readonly ChatMessage[]): { heading: string; description: string } => {
  const line = firstLineOf(messages);
  const short = line.length > 120 ? `${line.slice(0, 120)}…` : line;
  if (short === '') return { heading: 'Task: untitled', description: 'untitled task' };
  const description = short.replace(/^(?:Task\s+[^:\s]*|Goal)\s*:\s*/i, '') || short;
  return { heading: /^(?:Task|Goal)\b/i.test(short) ? short : `Task: ${short}`, description };
};

const wordsOf = (text: string): string[] => text.match(/[A-Za-z0-9]+/g)?.slice(0, 4) ?? [];

/** "Add a login endpoint" → "addALoginEndpoint", for the dev outline. */
const identifierOf = (title: string): string => {
  const camel = wordsOf(title).map((word, i) =>
    i === 0 ? word.toLowerCase() : word[0]?.toUpperCase() + word.slice(1),
  );
  const name = camel.join('');
  return /^[a-z]/.test(name) ? name : `task${name}`;
};

/** "Add a login endpoint" → "add_a_login_endpoint", for metric names. */
const snakeOf = (title: string): string => wordsOf(title).join('_').toLowerCase() || 'task';

interface Surface {
  readonly key: string;
  readonly name: string;
  readonly parts: string;
  readonly sink: string;
  readonly failure: string;
  readonly reference: string;
}

/** What the goal builds decides how its interface tasks read: the planner template's `surface`. */
const surfaces = {
  cli: {
    key: 'design-cli',
    name: 'command-line interface',
    parts: 'commands, flags, help text and error messages',
    sink: 'to a file or to standard output, as the user chose',
    failure: 'a non-zero exit status',
    reference: 'every command and flag',
  },
  api: {
    key: 'design-api',
    name: 'API',
    parts: 'resources, request and response shapes, error format',
    sink: 'as the response body with the right content type',
    failure: 'the right HTTP status',
    reference: 'every endpoint, with a request example',
  },
  ui: {
    key: 'design-ui',
    name: 'user interface',
    parts: 'screens, user flow, empty, loading and error states, accessibility',
    sink: 'in the browser, with a way to download them',
    failure: 'a way to retry',
    reference: 'every screen',
  },
} as const satisfies Record<string, Surface>;

const surfaceOf = (goal: string): Surface => {
  if (/\b(?:cli|command[- ]line|terminal|shell)\b/i.test(goal)) return surfaces.cli;
  if (/\b(?:api|endpoints?|service|server|backend|webhooks?)\b/i.test(goal)) return surfaces.api;
  return surfaces.ui;
};

/** "converts <from> to <to>", the target ending at a clause word or punctuation. */
const conversionPattern = new RegExp(
  [
    '\\b(?:convert|transform|turn|translate)(?:s|ing)?\\s+(.+?)\\s+(?:in)?to\\s+(.+?)',
    '(?=\\s+(?:with|for|using|and|that|which|while|so|on|in|by|from)\\b|[.,;:!?)]|$)',
  ].join(''),
  'i',
);

/** "a CLI that converts CSV files to JSON" → { from: 'CSV', to: 'JSON' }. */
const conversionOf = (goal: string): { from: string; to: string } | undefined => {
  const match = conversionPattern.exec(goal);
  const clean = (phrase: string | undefined): string =>
    (phrase ?? '').replace(/^(?:an?|the)\s+/i, '').replace(/\s+(?:files?|documents?|data|input|output)$/i, '');
  const from = clean(match?.[1]);
  const to = clean(match?.[2]);
  return from && to && from.length <= 40 && to.length <= 40 ? { from, to } : undefined;
};

/** What the conversion tasks call the input's parts: tabular sources have rows, others records. */
const unitOf = (from: string): string =>
  /\b(?:csv|tsv|excel|xlsx|spreadsheets?|sql|tables?)\b/i.test(from) ? 'rows' : 'records';

/** A value as it reads inside a JSON string literal: the planner template writes the JSON itself. */
const jsonText = (text: string): string => JSON.stringify(text).slice(1, -1);

const jsonTexts = <K extends string>(values: Readonly<Record<K, string>>): Record<K, string> =>
  Object.fromEntries(Object.entries<string>(values).map(([key, value]) => [key, jsonText(value)])) as Record<K, string>;

/**
 * The planner's JSON (`prompts/offline/planner.mustache`): a fixed software-project skeleton worded
 * after the goal. Design the interface, build it in small dependent steps, test it, document it,
 * observe it, ship it; every role takes part, the longest chain is seven tasks deep, and each
 * description's own words route it to its role by keywords.
 */
const offlinePlan = (messages: readonly ChatMessage[]): string => {
  const line = firstLineOf(messages)
    .replace(/^Goal\s*:\s*/i, '')
    .replace(/[.\s]+$/, '');
  const goal = (line.length > 200 ? `${line.slice(0, 200)}…` : line) || 'the product';
  const surface = jsonTexts(surfaceOf(goal));
  const conversion = conversionOf(goal);
  return renderTemplate(templateOf('planner'), {
    goal: jsonText(goal),
    surface,
    conversion: conversion && { ...jsonTexts(conversion), unit: unitOf(conversion.from), sink: surface.sink },
    layers: !conversion && { name: surface.name, sink: surface.sink },
  });
};

/**
 * A short, structured, deterministic placeholder deliverable for the agent role the prompt names:
 * the label line, then `prompts/offline/<role>.mustache`. Task text only ever fills a template's
 * variables, so braces in it stay text.
 */
export const offlineDeliverable = (messages: readonly ChatMessage[]): string => {
  const role = roleOf(messages);
  // The label line, then JSON only: a plan parser takes the outermost {...}.
  if (role === 'planner') return `${offlineLabel}\n${offlinePlan(messages)}`;
  const { heading, description } = taskOf(messages);
  const name = identifierOf(description);
  const view = {
    heading,
    title: description,
    functionName: name,
    typeName: name[0]?.toUpperCase() + name.slice(1),
    metric: snakeOf(description),
  };
  return `${offlineLabel}\n${renderTemplate(templateOf(role), view)}`;
};
