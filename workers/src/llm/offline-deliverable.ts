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

/** Text deliverables; the planner's is a JSON plan (offlinePlan). */
const bodies: Record<Exclude<OfflineRole, 'planner'>, (title: string) => string[]> = {
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

interface Surface {
  readonly key: string;
  readonly name: string;
  readonly parts: string;
  readonly sink: string;
  readonly failure: string;
  readonly reference: string;
}

/** What the goal builds decides how its interface tasks read. */
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

interface OfflineTask {
  readonly key: string;
  readonly description: string;
  readonly role: 'dev' | 'ux_ui' | 'qa' | 'telemetry';
  readonly businessValue: number;
  readonly tokensPlan: number;
  readonly purposeRelevance: number;
}

/** The three build steps: read, transform, deliver for a conversion; model, logic, interface otherwise. */
const buildSteps = (surface: Surface, conversion: { from: string; to: string } | undefined, unit: string) => {
  if (!conversion)
    return {
      keys: ['data-model', 'core-logic', 'build-interface'] as const,
      read: 'Define the data model and implement the code that reads and validates the input.',
      transform: `Implement the core logic behind the ${surface.name}, as functions free of input and output.`,
      deliver: `Implement the ${surface.name} on top of the core logic, delivering results ${surface.sink}.`,
      tested: 'sample input and checks the results',
      logic: 'the core logic',
    };
  const { from, to } = conversion;
  return {
    keys: ['parse-input', 'convert-records', 'write-output'] as const,
    read: `Parse the ${from} input into ${unit} and reject malformed ${unit}, naming the line or field at fault.`,
    transform: `Implement the conversion of parsed ${from} ${unit} to ${to}, keeping field names and value types.`,
    deliver: `Implement writing the ${to} output ${surface.sink}.`,
    tested: `sample ${from} input and checks the ${to} output`,
    logic: 'conversion',
  };
};

/**
 * A fixed software-project skeleton worded after the goal: design the interface, build it in small
 * dependent steps, test it, document it, observe it, ship it. Every role takes part, the longest chain
 * is seven tasks deep, and each description's own words route it to its role by keywords.
 */
const offlinePlanOf = (goal: string): { tasks: OfflineTask[]; dependencies: { from: string; to: string }[] } => {
  const surface = surfaceOf(goal);
  const conversion = conversionOf(goal);
  const unit =
    conversion && /\b(?:csv|tsv|excel|xlsx|spreadsheets?|sql|tables?)\b/i.test(conversion.from) ? 'rows' : 'records';
  const steps = buildSteps(surface, conversion, unit);
  const [read, transform, deliver] = steps.keys;
  const task = (
    key: string,
    role: OfflineTask['role'],
    [businessValue, tokensPlan, purposeRelevance]: readonly [number, number, number],
    description: string,
  ): OfflineTask => ({ key, description, role, businessValue, tokensPlan, purposeRelevance });
  const tasks = [
    task(surface.key, 'ux_ui', [8, 4, 0.9], `Design the ${surface.name} of "${goal}": ${surface.parts}.`),
    task(read, 'dev', [8, 6, 0.9], steps.read),
    task(transform, 'dev', [9, 8, 1], steps.transform),
    task(deliver, 'dev', [7, 5, 0.9], steps.deliver),
    task(
      'handle-errors',
      'dev',
      [7, 5, 0.8],
      `Implement error handling: clear messages for bad input, missing files and partial failures; ${surface.failure}.`,
    ),
    task(
      'unit-tests',
      'qa',
      [7, 6, 0.8],
      `Write unit tests for reading and ${steps.logic}, covering empty input, malformed ${unit} and non-ASCII text.`,
    ),
    task(
      'e2e-test',
      'qa',
      [8, 6, 0.9],
      `Write an end-to-end test that runs the ${surface.name} on ${steps.tested}, error cases included.`,
    ),
    task(
      'usage-docs',
      'ux_ui',
      [5, 3, 0.6],
      `Write the user guide: installation, usage examples and the help text of ${surface.reference}.`,
    ),
    task(
      'instrument',
      'telemetry',
      [5, 4, 0.6],
      'Instrument the main flow with metrics and structured logs: runs, records processed, failures and duration.',
    ),
    task(
      'dashboard-alerts',
      'telemetry',
      [4, 3, 0.5],
      'Build a dashboard of those metrics and alerts on the failure rate.',
    ),
    task(
      'package-release',
      'dev',
      [6, 3, 0.7],
      `Package the ${surface.name} for release: build script, version number and changelog.`,
    ),
  ];
  const edges: readonly (readonly [string, string])[] = [
    [read, surface.key],
    [transform, read],
    [deliver, transform],
    ['handle-errors', deliver],
    ['unit-tests', transform],
    ['e2e-test', 'handle-errors'],
    ['usage-docs', surface.key],
    ['usage-docs', 'handle-errors'],
    ['instrument', deliver],
    ['dashboard-alerts', 'instrument'],
    ['package-release', 'e2e-test'],
    ['package-release', 'usage-docs'],
  ];
  return { tasks, dependencies: edges.map(([from, to]) => ({ from, to })) };
};

/** The planner's JSON, one task or edge per line so it reads well in logs and artifacts. */
const offlinePlan = (messages: readonly ChatMessage[]): string => {
  const line = firstLineOf(messages)
    .replace(/^Goal\s*:\s*/i, '')
    .replace(/[.\s]+$/, '');
  const goal = (line.length > 200 ? `${line.slice(0, 200)}…` : line) || 'the product';
  const { tasks, dependencies } = offlinePlanOf(goal);
  return [
    '{"tasks":[',
    tasks.map((task) => JSON.stringify(task)).join(',\n'),
    '],"dependencies":[',
    dependencies.map((edge) => JSON.stringify(edge)).join(',\n'),
    ']}',
  ].join('\n');
};

/** A short, structured, deterministic placeholder deliverable for the agent role the prompt names. */
export const offlineDeliverable = (messages: readonly ChatMessage[]): string => {
  const role = roleOf(messages);
  // The label line, then JSON only: a plan parser takes the outermost {...}.
  if (role === 'planner') return `${offlineLabel}\n${offlinePlan(messages)}\n`;
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
