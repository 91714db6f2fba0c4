import { afterAll, describe, expect, it } from 'vitest';
import type { AgentMessage, StepRequest, ToolCall } from '../llm-provider';
import { offlineLabel } from '../offline-deliverable';
import { offlineStep } from './offline-engineer';
import { projectFiles } from './project-shapes';
import {
  driveTask,
  openingOf,
  removeDir,
  runNodeTests,
  type TaskSpec,
  tempDir,
  toolsFor,
  writeFiles,
} from './workspace-driver.test-support';

const goal = 'a CLI that converts CSV to JSON';
const devTask = (description: string, id = 'abcd1234'): TaskSpec => ({
  id,
  description,
  goal,
  role: 'dev',
  writable: true,
});
const parseTask = devTask(
  'Parse the CSV input into rows and reject malformed rows, naming the line or field at fault.',
);

const step = async (request: StepRequest) => offlineStep(request);
const argsOf = (call: ToolCall): Record<string, string> => JSON.parse(call.arguments);
const keyOf = (call: ToolCall): string => `${call.name} ${call.arguments}`;

const dirs: string[] = [];
const dirWith = (files: ReadonlyMap<string, string> = new Map()): string => {
  const dir = tempDir('offline-engineer');
  dirs.push(dir);
  writeFiles(dir, files);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

/** The messages after list_files answered `listing`. */
const afterListing = (task: TaskSpec, listing: readonly string[]): AgentMessage[] => [
  ...openingOf(task),
  { role: 'assistant', content: null, toolCalls: [{ id: 'offline-0-0', name: 'list_files', arguments: '{}' }] },
  { role: 'tool', toolCallId: 'offline-0-0', content: listing.length ? listing.join('\n') : '(no files)' },
];

describe('offlineStep for dev', () => {
  it('starts by listing the workspace, with a deterministic call id', () => {
    const { text, toolCalls } = offlineStep({
      messages: openingOf(parseTask),
      tools: toolsFor(true),
      maxTokens: 8_192,
    });
    expect(text).toBeNull();
    expect(toolCalls).toEqual([{ id: 'offline-0-0', name: 'list_files', arguments: '{}' }]);
  });

  it('writes on an empty workspace a project whose tests pass, then runs them and finishes', async () => {
    const dir = dirWith();
    const task = await driveTask(step, parseTask, dir);
    const written = task.calls.filter((call) => call.name === 'write_file').map((call) => argsOf(call).path);
    expect(written).toEqual(['src/csv.js', 'test/csv.test.js', 'package.json']);
    expect(task.calls.map((call) => call.name).slice(-2)).toEqual(['run_tests', 'finish']);
    expect(task.summary?.split('\n')[0]).toBe(offlineLabel);
    expect(task.summary).toMatch(/tests: exit 0; passed \d+; failed 0/);
    expect(runNodeTests(dir).exitCode).toBe(0);
  }, 60_000);

  it('writes whatever its tests need that is missing: the interface task brings the parser and converter', () => {
    const task = devTask('Implement writing the JSON output to a file or to standard output, as the user chose.');
    const { toolCalls } = offlineStep({ messages: afterListing(task, []), tools: toolsFor(true), maxTokens: 8_192 });
    expect(toolCalls.map((call) => argsOf(call).path)).toEqual([
      'bin/csv2json.js',
      'test/cli.test.js',
      'package.json',
      'src/convert.js',
      'src/csv.js',
    ]);
  });

  it('writes only its own files where the project exists', () => {
    const listing = [...projectFiles('csv-to-json-cli', goal).keys()];
    const own: [string, string[]][] = [
      [parseTask.description, ['src/csv.js', 'test/csv.test.js']],
      [
        'Implement the conversion of parsed CSV rows to JSON, keeping field names and value types.',
        ['src/convert.js', 'test/convert.test.js'],
      ],
      [
        'Package the command-line interface for release: build script, version number and changelog.',
        ['package.json', 'README.md', 'CHANGELOG.md'],
      ],
    ];
    for (const [description, paths] of own) {
      const { toolCalls } = offlineStep({
        messages: afterListing(devTask(description), listing),
        tools: toolsFor(true),
        maxTokens: 8_192,
      });
      expect(toolCalls.map((call) => argsOf(call).path)).toEqual(paths);
    }
  });

  it('writes the same bytes to a path whichever task writes it', () => {
    const descriptions = [
      parseTask.description,
      'Implement error handling: clear messages for bad input, missing files and partial failures; a non-zero exit status.',
      'Implement writing the JSON output to a file or to standard output, as the user chose.',
    ];
    const contents = new Map<string, Set<string>>();
    for (const description of descriptions) {
      for (const { toolCalls } of [
        offlineStep({ messages: afterListing(devTask(description), []), tools: toolsFor(true), maxTokens: 8_192 }),
      ]) {
        for (const { path = '', content = '' } of toolCalls.map(argsOf))
          contents.set(path, (contents.get(path) ?? new Set()).add(content));
      }
    }
    expect([...contents.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('splits writes that would not fit the completion cap over several steps', async () => {
    const dir = dirWith();
    const task = devTask('Build the whole thing.');
    const small = async (request: StepRequest) => offlineStep({ ...request, maxTokens: 2_500 });
    const driven = await driveTask(small, task, dir);
    const writeSteps = driven.messages.filter(
      (message) => message.role === 'assistant' && message.toolCalls?.some((call) => call.name === 'write_file'),
    );
    expect(writeSteps.length).toBeGreaterThan(2);
    expect(runNodeTests(dir).exitCode).toBe(0);
  }, 60_000);
});

describe('offlineStep for other roles and situations', () => {
  it('never calls a write tool for qa or telemetry, even when offered one', async () => {
    const dir = dirWith(projectFiles('csv-to-json-cli', goal));
    for (const role of ['qa', 'telemetry']) {
      const spec: TaskSpec = { id: 'qa000001', description: 'Write an end-to-end test.', goal, role, writable: false };
      const driven = await driveTask(step, spec, dir);
      expect(driven.calls.map((call) => call.name)).toEqual(['list_files', 'read_file', 'run_tests', 'finish']);
      const offered = offlineStep({ messages: openingOf(spec), tools: toolsFor(true), maxTokens: 8_192 });
      expect(offered.toolCalls.map((call) => call.name)).toEqual(['list_files']);
      expect(driven.summary).toContain('exit 0');
    }
  }, 60_000);

  it('ux_ui writes the docs, and README only when it is missing', () => {
    const task: TaskSpec = {
      id: 'ux000001',
      description: 'Write the user guide.',
      goal,
      role: 'ux_ui',
      writable: true,
    };
    const paths = (listing: string[]) =>
      offlineStep({ messages: afterListing(task, listing), tools: toolsFor(true), maxTokens: 8_192 }).toolCalls.map(
        (call) => argsOf(call).path,
      );
    expect(paths([])).toEqual(['docs/usage.md', 'README.md', 'package.json']);
    expect(paths(['package.json', 'README.md'])).toEqual(['docs/usage.md']);
  });

  it('after the gate reports failed tests, runs them again and says it cannot repair code', () => {
    const history: AgentMessage[] = [
      ...afterListing(parseTask, ['package.json']),
      { role: 'assistant', content: null, toolCalls: [{ id: 'offline-1-0', name: 'run_tests', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'offline-1-0', content: 'exit 0; passed 1; failed 0' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'offline-2-0', name: 'finish', arguments: '{"summary":"x"}' }],
      },
      {
        role: 'user',
        content: 'The merge gate ran the tests on main merged with your branch: exit 1; passed 3; failed 1',
      },
    ];
    const rerun = offlineStep({ messages: history, tools: toolsFor(true), maxTokens: 8_192 });
    expect(rerun.toolCalls).toEqual([{ id: 'offline-3-0', name: 'run_tests', arguments: '{}' }]);
    const after: AgentMessage[] = [
      ...history,
      { role: 'assistant', content: null, toolCalls: rerun.toolCalls },
      { role: 'tool', toolCallId: 'offline-3-0', content: 'exit 1; passed 3; failed 1' },
    ];
    const [finish] = offlineStep({ messages: after, tools: toolsFor(true), maxTokens: 8_192 }).toolCalls;
    expect(finish?.name).toBe('finish');
    expect(argsOf(finish as ToolCall).summary).toMatch(/exit 1; passed 3; failed 1[\s\S]*cannot repair code/);
  });

  it('finishes, saying so, when a call was refused instead of trying again', () => {
    const messages: AgentMessage[] = [
      ...afterListing(parseTask, []),
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'offline-1-0', name: 'write_file', arguments: '{"path":"src/csv.js","content":""}' }],
      },
      { role: 'tool', toolCallId: 'offline-1-0', content: 'error: this task reads main; it cannot change files' },
    ];
    const { toolCalls } = offlineStep({ messages, tools: toolsFor(true), maxTokens: 8_192 });
    expect(toolCalls.map((call) => call.name)).toEqual(['finish']);
    expect(argsOf(toolCalls[0] as ToolCall).summary).toContain(
      'Stopped: write_file failed (error: this task reads main',
    );
  });

  it('answers with text alone when it is given no finish tool', () => {
    const messages = afterListing(parseTask, ['package.json']);
    const tools = toolsFor(false).filter((tool) => tool.name === 'list_files');
    const { text, toolCalls } = offlineStep({ messages, tools, maxTokens: 8_192 });
    expect(toolCalls).toEqual([]);
    expect(text).toContain('QA report');
    expect(text?.startsWith(offlineLabel)).toBe(false);
  });

  it('is deterministic and never repeats an identical call within a task', async () => {
    const first = await driveTask(step, parseTask, dirWith());
    const second = await driveTask(step, parseTask, dirWith());
    expect(second.calls.map(keyOf)).toEqual(first.calls.map(keyOf));
    expect(new Set(first.calls.map(keyOf)).size).toBe(first.calls.length);
  }, 60_000);
});
