import type { StepRequest, ToolCall } from '../llm-provider';
import { offlineLabel } from '../offline-deliverable';
import { countStepCompletionTokens } from '../step-tokens';
import { type Conversation, conversationOf, isErrorResult, type PastCall } from './conversation';
import { projectShapeOf } from './project-shapes';
import { devSummary, docsSummary, gateSummary, qaSummary, stoppedSummary, telemetrySummary } from './reports';
import { taskFiles, taskKindOf } from './task-files';

/** What one offline step asks for: tool calls, or text alone when the conversation offers no tools. */
export interface OfflineStep {
  readonly text: string | null;
  readonly toolCalls: ToolCall[];
}

interface PlannedCall {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** At most this many calls in one step. */
const maxCallsPerStep = 6;

const call = (name: string, args: Record<string, unknown> = {}): PlannedCall => ({ name, args });
/** The summary is the task's deliverable: it starts with the offline label line like every offline text. */
const finish = (summary: string): PlannedCall[] => [call('finish', { summary: `${offlineLabel}\n${summary}` })];

const made = (calls: readonly PastCall[], name: string): PastCall[] => calls.filter((past) => past.call.name === name);

const listingOf = (calls: readonly PastCall[]): string[] => {
  const result = made(calls, 'list_files').at(-1)?.result ?? '';
  return result
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '(no files)');
};

/** The result of the last run_tests made after the last write (undefined if none was). */
const testsAfterWrites = (calls: readonly PastCall[]): PastCall | undefined => {
  const lastWrite = calls.findLastIndex((past) => past.call.name === 'write_file');
  return calls.slice(lastWrite + 1).findLast((past) => past.call.name === 'run_tests');
};

/** dev and ux_ui: write the task's files, run the tests (dev), finish with what was written. */
const writerMove = (conversation: Conversation, tools: ReadonlySet<string>): PlannedCall[] => {
  const { header, calls } = conversation;
  const listing = listingOf(calls);
  const docsOnly = header.role === 'ux_ui';
  const kind = taskKindOf(header.description, header.role);
  const files = taskFiles({ shape: projectShapeOf(header.goal), goal: header.goal, kind, listing }).filter(
    (file) => !(docsOnly && file.path === 'README.md' && listing.includes(file.path)),
  );
  const written = new Set(made(calls, 'write_file').map((past) => String(past.args.path)));
  const pending = files.filter((file) => !written.has(file.path));
  if (pending.length > 0) {
    return pending
      .slice(0, maxCallsPerStep)
      .map((file) => call('write_file', { path: file.path, content: file.content }));
  }
  const paths = files.map((file) => file.path);
  if (docsOnly) return finish(docsSummary(paths));
  const tests = testsAfterWrites(calls);
  if (!tests && tools.has('run_tests')) return [call('run_tests')];
  return finish(devSummary(paths, tests?.result));
};

/** The file a reader looks at: a test for qa, the entry point for telemetry, else the README. */
const readTarget = (role: string, description: string, listing: readonly string[]): string | undefined => {
  const tests = listing.filter((path) => /^test\/.*\.test\.js$/.test(path));
  const candidates =
    role === 'qa'
      ? [/\b(?:end-to-end|e2e)\b/i.test(description) ? 'test/cli.test.js' : 'test/csv.test.js', ...tests]
      : role === 'telemetry'
        ? ['bin/csv2json.js', 'src/index.js', ...listing.filter((path) => path.startsWith('src/'))]
        : ['README.md'];
  return candidates.find((path) => listing.includes(path));
};

/** qa, telemetry and any read-only agent: read one file, run the tests, report. */
const readerMove = (conversation: Conversation, tools: ReadonlySet<string>): PlannedCall[] => {
  const { header, calls } = conversation;
  const target = readTarget(header.role, header.description, listingOf(calls));
  const read = made(calls, 'read_file').at(-1);
  if (target && !read && tools.has('read_file')) return [call('read_file', { path: target })];
  const tests = made(calls, 'run_tests').at(-1);
  if (!tests && tools.has('run_tests')) return [call('run_tests')];
  const file = read ? { path: String(read.args.path), content: read.result ?? '' } : undefined;
  if (header.role === 'telemetry') return finish(telemetrySummary(projectShapeOf(header.goal), file, tests?.result));
  return finish(qaSummary(file, tests?.result));
};

/** After the gate reported failed tests: run them once more (twice in all at most), then say so honestly. */
const gateMove = (conversation: Conversation, tools: ReadonlySet<string>): PlannedCall[] => {
  const runs = made(conversation.calls, 'run_tests');
  const thisRound = made(conversation.callsThisRound, 'run_tests').at(-1);
  if (!thisRound && runs.length < 2 && tools.has('run_tests')) return [call('run_tests')];
  return finish(gateSummary(conversation.gateRounds, thisRound?.result));
};

const nextMove = (conversation: Conversation, tools: ReadonlySet<string>): PlannedCall[] => {
  const failed = conversation.lastResults.find(isErrorResult);
  if (failed) return finish(stoppedSummary(failed.call.name, failed.result));
  if (conversation.gateRounds > 0) return gateMove(conversation, tools);
  if (made(conversation.calls, 'list_files').length === 0 && tools.has('list_files')) return [call('list_files')];
  const role = conversation.header.role;
  if ((role === 'dev' || role === 'ux_ui') && tools.has('write_file')) return writerMove(conversation, tools);
  return readerMove(conversation, tools);
};

/**
 * The offline provider's tool-using step: a fixed script per role, read off the conversation alone
 * (its first task message and the calls and results so far), so the same messages give the same calls.
 * dev lists the workspace, writes its task's files of the goal's project template (and whatever the
 * tests need that is missing), runs the tests and finishes; ux_ui writes the docs; qa and telemetry read,
 * run the tests and report. It never repeats an identical call and never calls a tool it was not given.
 */
export const offlineStep = (request: StepRequest): OfflineStep => {
  const conversation = conversationOf(request.messages);
  const tools = new Set(request.tools.map((tool) => tool.name));
  const planned = nextMove(conversation, tools);
  // Every move but finish checks its tools; without finish, the summary is the answer's text.
  const finishing = planned.find((next) => next.name === 'finish');
  if (finishing && !tools.has('finish')) {
    return { text: String(finishing.args.summary).slice(offlineLabel.length + 1), toolCalls: [] };
  }
  const toolCalls = planned.map((next, i) => ({
    id: `offline-${conversation.step}-${i}`,
    name: next.name,
    arguments: JSON.stringify(next.args),
  }));
  // Several writes that would not fit the step's completion cap: the last ones wait for the next step.
  while (toolCalls.length > 1 && countStepCompletionTokens(null, toolCalls) > request.maxTokens) toolCalls.pop();
  return { text: null, toolCalls };
};
