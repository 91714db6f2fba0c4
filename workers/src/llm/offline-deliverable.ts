import type { ChatMessage } from './llm-provider';

/** First line of every offline text, so nobody mistakes it for model output. */
export const offlineLabel = '[offline provider: generated without a language model]';

export type OfflineRole = 'architect' | 'planner' | 'dev' | 'ux_ui' | 'qa' | 'telemetry' | 'generic';

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

/**
 * The last user message carries the task; its first line names it. Agent prompts start it with
 * "Task <id>: <description>", which is kept as the heading and stripped for the description.
 */
const taskOf = (messages: readonly ChatMessage[]): { heading: string; description: string } => {
  const task = messages.findLast((message) => message.role === 'user')?.content ?? '';
  const line = (task.split('\n').find((candidate) => candidate.trim() !== '') ?? '').trim().replace(/\s+/g, ' ');
  const short = line.length > 120 ? `${line.slice(0, 120)}…` : line;
  if (short === '') return { heading: 'Task: untitled', description: 'untitled task' };
  const description = short.replace(/^Task\s+[^:\s]*:\s*/i, '') || short;
  return { heading: /^Task\b/i.test(short) ? short : `Task: ${short}`, description };
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

const bodies: Record<OfflineRole, (title: string) => string[]> = {
  architect: (title) => [
    '## Components',
    `- A module that owns "${title}", behind one interface.`,
    '- Its storage in Neo4j, its jobs on the queue.',
    '## Data flow',
    '1. A request reaches the API and is validated.',
    '2. The module updates the graph and enqueues follow-up work.',
    '## Risks',
    '- Unclear ownership between modules; settle it before building.',
  ],
  planner: (title) => [
    '## Tasks',
    `1. [ux_ui] Sketch the user flow for "${title}".`,
    '2. [dev] Implement it behind a test. Depends on 1.',
    '3. [qa] Write acceptance tests from the flow. Depends on 1.',
    '4. [telemetry] Add events and a dashboard panel. Depends on 2.',
  ],
  dev: (title) => {
    const name = identifierOf(title);
    const type = name[0]?.toUpperCase() + name.slice(1);
    return [
      '## Plan',
      '1. Read the code the task touches.',
      '2. Write a failing test that states the expected behaviour.',
      '3. Make the smallest change that passes it; run lint, typecheck and tests.',
      '## Code outline',
      '```ts',
      `export interface ${type}Input {}`,
      `export interface ${type}Result {}`,
      '',
      `export const ${name} = async (input: ${type}Input): Promise<${type}Result> => {`,
      '  // 1. validate input  2. do the work  3. return the result',
      "  throw new Error('not implemented: offline outline');",
      '};',
      '```',
      '## How to verify',
      `- A unit test per behaviour of ${name}, then the full suite.`,
    ];
  },
  ux_ui: (title) => [
    '## User flow',
    `1. The user starts "${title}" from the page where the need arises.`,
    '2. One screen collects what is needed; errors appear next to their field.',
    '3. A confirmation shows the result and the next step.',
    '## States',
    '- Empty: explains what to do first. Loading: keeps the layout. Error: says what failed and how to retry.',
    '## Accessibility',
    '- Keyboard reachable, labelled controls, contrast at least 4.5:1.',
  ],
  qa: (title) => [
    '## Test cases',
    `1. Given valid input, when "${title}" runs, then the expected result is stored and shown.`,
    '2. Given invalid input, when it runs, then nothing changes and the error says why.',
    '3. Given the same request twice, when it runs, then the outcome is the same (idempotent).',
    '## Edge cases',
    '- Empty, very long and non-ASCII input; concurrent requests; another tenant.',
  ],
  telemetry: (title) => {
    const metric = snakeOf(title);
    return [
      '## Metrics',
      `- \`${metric}_total\` (counter, 1), labels: outcome = succeeded | failed.`,
      `- \`${metric}_duration_seconds\` (histogram, s), labels: outcome.`,
      '## Dashboards',
      `- "${title}": rate per outcome, p50/p95 duration.`,
      '## Alerts',
      `- Failure ratio of \`${metric}_total\` above 5% for 10 minutes.`,
    ];
  },
  generic: (title) => [
    '## Steps',
    `1. Restate the goal of "${title}" and its acceptance criteria.`,
    '2. Do the smallest piece that can be checked.',
    '3. Check it, then report what is done and what is open.',
  ],
};

/** A short, structured, deterministic placeholder deliverable for the agent role the prompt names. */
export const offlineDeliverable = (messages: readonly ChatMessage[]): string => {
  const role = roleOf(messages);
  const { heading, description } = taskOf(messages);
  return [
    offlineLabel,
    `Role: ${role}`,
    heading,
    '',
    'Placeholder built from the task text alone; configure an LLM API key to have a model do the work.',
    '',
    ...bodies[role](description),
    '',
  ].join('\n');
};
