import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AgentMessage, StepRequest, ToolCall, ToolDefinition } from '../llm-provider';

/** Test support: a stand-in for the agent loop, running tool calls against a plain folder. */

export const toolsFor = (writable: boolean): ToolDefinition[] =>
  ['list_files', 'read_file', ...(writable ? ['write_file', 'apply_patch'] : []), 'run_tests', 'finish'].map(
    (name) => ({ name, description: name, parameters: { type: 'object' } }),
  );

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `${prefix}-`));

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

export const copyDir = (from: string, to: string): void => cpSync(from, to, { recursive: true });

/** Every file under `dir`, as sorted relative paths with `/`. */
export const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();

export const writeFiles = (dir: string, files: ReadonlyMap<string, string>): void => {
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
};

export interface TestRun {
  readonly exitCode: number | null;
  readonly output: string;
}

/** `node --test` (or `npm test`) in `dir`, with a bare environment like the sandbox's. */
export const runNodeTests = (dir: string, command: 'node' | 'npm' = 'node'): TestRun => {
  const [file, args] = command === 'node' ? [process.execPath, ['--test']] : ['npm', ['test', '--silent']];
  const result = spawnSync(file, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: dir, LANG: 'C.UTF-8' },
    timeout: 60_000,
  });
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
};

const count = (output: string, name: string): string => new RegExp(`^# ${name} (\\d+)`, 'm').exec(output)?.[1] ?? '?';

/** The loop's run_tests result: `exit <code>; passed <n>; failed <n>`, then the output. */
export const testsResult = (dir: string): string => {
  const run = runNodeTests(dir);
  return `exit ${run.exitCode}; passed ${count(run.output, 'pass')}; failed ${count(run.output, 'fail')}\n${run.output}`;
};

const argsOf = (call: ToolCall): Record<string, string> => JSON.parse(call.arguments) as Record<string, string>;

/** Runs one call like the loop's tool executor does, errors as `error: …`. */
export const execute = (dir: string, call: ToolCall, writable: boolean): string => {
  const args = argsOf(call);
  if ((call.name === 'write_file' || call.name === 'apply_patch') && !writable) {
    return 'error: this task reads main; it cannot change files';
  }
  switch (call.name) {
    case 'list_files': {
      const files = filesIn(dir);
      return files.length === 0 ? '(no files)' : files.join('\n');
    }
    case 'read_file':
      try {
        return readFileSync(join(dir, args.path ?? ''), 'utf8');
      } catch {
        return `error: no such file ${args.path}`;
      }
    case 'write_file': {
      const content = args.content ?? '';
      writeFiles(dir, new Map([[args.path ?? '', content]]));
      return `wrote ${args.path} (${Buffer.byteLength(content)} bytes)`;
    }
    case 'run_tests':
      return testsResult(dir);
    case 'finish':
      return 'finished';
    default:
      return `error: unknown tool "${call.name}"`;
  }
};

export interface TaskSpec {
  readonly id: string;
  readonly description: string;
  readonly goal: string;
  readonly role: string;
  readonly writable: boolean;
}

export const openingOf = (task: TaskSpec): AgentMessage[] => [
  { role: 'system', content: `You are the ${task.role} agent (${task.role}) of an autonomous software team.` },
  {
    role: 'user',
    content: [
      `Task ${task.id}: ${task.description}`,
      `Goal: ${task.goal}`,
      `Role: ${task.role}`,
      `Workspace: ${task.writable ? `branch task/${task.id} (writable)` : 'main (read-only)'}`,
      '',
      'What the tasks this one depends on did: (offline test driver)',
    ].join('\n'),
  },
];

export interface DrivenTask {
  readonly steps: number;
  readonly calls: readonly ToolCall[];
  readonly summary: string | undefined;
  readonly messages: readonly AgentMessage[];
}

/** Asks `step` for the next calls, runs them in `dir` and feeds the results back, until finish. */
export const driveTask = async (
  step: (request: StepRequest) => Promise<{ toolCalls: readonly ToolCall[]; text: string | null }>,
  task: TaskSpec,
  dir: string,
  options: { maxSteps?: number; opening?: readonly AgentMessage[] } = {},
): Promise<DrivenTask> => {
  const messages: AgentMessage[] = [...(options.opening ?? openingOf(task))];
  const calls: ToolCall[] = [];
  const tools = toolsFor(task.writable);
  for (let steps = 1; steps <= (options.maxSteps ?? 12); steps += 1) {
    const response = await step({ messages, tools, maxTokens: 8_192 });
    messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
    if (response.toolCalls.length === 0) return { steps, calls, summary: response.text ?? '', messages };
    calls.push(...response.toolCalls);
    for (const call of response.toolCalls) {
      messages.push({ role: 'tool', toolCallId: call.id, content: execute(dir, call, task.writable) });
    }
    const finish = response.toolCalls.find((call) => call.name === 'finish');
    if (finish) return { steps, calls, summary: argsOf(finish).summary, messages };
  }
  return { steps: Number.POSITIVE_INFINITY, calls, summary: undefined, messages };
};
