import type { ToolDefinition } from '../../llm';

/** The tools an agent may call; write tools only on a task's own branch (dev, ux_ui). */
export const toolNames = ['list_files', 'read_file', 'write_file', 'apply_patch', 'run_tests', 'finish'] as const;
export type ToolName = (typeof toolNames)[number];

const writeTools: readonly ToolName[] = ['write_file', 'apply_patch'];

const definitions: Record<ToolName, ToolDefinition> = {
  list_files: {
    name: 'list_files',
    description: 'Lists the files of the workspace (relative paths, one per line).',
    parameters: {
      type: 'object',
      properties: { prefix: { type: 'string', description: 'Only paths starting with this folder.' } },
      additionalProperties: false,
    },
  },
  read_file: {
    name: 'read_file',
    description: 'Reads a text file of the workspace.',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
      additionalProperties: false,
    },
  },
  write_file: {
    name: 'write_file',
    description: 'Creates or replaces a text file of the workspace with the given content.',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
      additionalProperties: false,
    },
  },
  apply_patch: {
    name: 'apply_patch',
    description: 'Applies a unified diff (one or more files) to the workspace; all of it or nothing.',
    parameters: {
      type: 'object',
      properties: { patch: { type: 'string' } },
      required: ['patch'],
      additionalProperties: false,
    },
  },
  run_tests: {
    name: 'run_tests',
    description:
      "Runs the project's tests (npm test) in a sandbox without network. The result starts with `exit <code>; passed <n>; failed <n>`.",
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  },
  finish: {
    name: 'finish',
    description: 'Ends the task with a short summary of what was done (and, for a change, why it is complete).',
    parameters: {
      type: 'object',
      properties: { summary: { type: 'string' } },
      required: ['summary'],
      additionalProperties: false,
    },
  },
};

/** The tools a task's agent gets: everything on its own branch, no writes on main. */
export const toolsFor = (writable: boolean): ToolDefinition[] =>
  toolNames.filter((name) => writable || !writeTools.includes(name)).map((name) => definitions[name]);

export const isWriteTool = (name: string): boolean => writeTools.includes(name as ToolName);
