import {
  applyWorkspacePatch,
  isWorkspaceFileError,
  listWorkspaceFiles,
  readWorkspaceFile,
  WorkspacePathError,
  writeWorkspaceFile,
} from '@ai-org/domain';
import { z } from 'zod';
import type { ToolCall } from '../../llm';
import { isWriteTool } from './agent-tools';
import { type ProjectTestRun, testSummaryLine } from './project-tests';

/** What one tool call gave back: the text the model reads, and the summary when it was `finish`. */
export interface ToolOutcome {
  readonly content: string;
  readonly finished?: { readonly summary: string };
}

export interface ToolContext {
  /** The worktree the agent works in. */
  readonly dir: string;
  /** False on main (qa, telemetry): write tools are refused. */
  readonly writable: boolean;
  /** Runs the project's tests in the sandbox and records the run. */
  readonly runTests: () => Promise<ProjectTestRun>;
}

/** A tool result is cut here, so one big file or log cannot crowd the rest out of the next prompt. */
export const maxToolResultChars = 24_000;

/** `text` cut to `maxToolResultChars`, saying how much was cut. */
export const bounded = (text: string): string =>
  text.length <= maxToolResultChars
    ? text
    : `${text.slice(0, maxToolResultChars)}\n[… cut: ${text.length - maxToolResultChars} more characters]`;

const argumentSchemas = {
  list_files: z.object({ prefix: z.string().max(4_096).optional() }),
  read_file: z.object({ path: z.string().min(1).max(4_096) }),
  write_file: z.object({ path: z.string().min(1).max(4_096), content: z.string() }),
  apply_patch: z.object({ patch: z.string().min(1) }),
  run_tests: z.object({}),
  finish: z.object({ summary: z.string().max(20_000) }),
} as const;

type Known = keyof typeof argumentSchemas;

const parseArguments = (
  call: ToolCall,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } => {
  const schema = argumentSchemas[call.name as Known];
  if (schema === undefined) return { ok: false, error: `unknown tool "${call.name}"` };
  let json: unknown;
  try {
    json = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return { ok: false, error: 'the arguments are not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `bad arguments: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, value: parsed.data as Record<string, unknown> };
};

/**
 * Runs one tool call against the agent's worktree. Whatever the model asked for, the answer is a
 * result text (an error is told to the model as `error: …`, not thrown): paths are confined to the
 * worktree by the workspace's file operations, and write tools exist only on the task's own branch.
 */
export const executeToolCall = async (call: ToolCall, context: ToolContext): Promise<ToolOutcome> => {
  const args = parseArguments(call);
  if (!args.ok) return { content: `error: ${args.error}` };
  if (isWriteTool(call.name) && !context.writable)
    return { content: 'error: this task reads main; it cannot change files' };
  if (call.name === 'run_tests') {
    // Not caught: a sandbox or database failure is the platform's, and the job retries the step.
    const tests = await context.runTests();
    return { content: bounded(`${testSummaryLine(tests)}\n${tests.output}`) };
  }
  try {
    switch (call.name as Exclude<Known, 'run_tests'>) {
      case 'list_files': {
        const list = await listWorkspaceFiles(context.dir, { prefix: args.value.prefix as string | undefined });
        const more = list.truncated ? '\n[… more files not listed]' : '';
        return { content: bounded(list.files.length === 0 ? '(no files)' : `${list.files.join('\n')}${more}`) };
      }
      case 'read_file': {
        const file = await readWorkspaceFile(context.dir, args.value.path as string);
        return { content: bounded(file.truncated ? `${file.content}\n[… file truncated]` : file.content) };
      }
      case 'write_file': {
        const content = args.value.content as string;
        await writeWorkspaceFile(context.dir, args.value.path as string, content);
        return { content: `wrote ${args.value.path as string} (${Buffer.byteLength(content)} bytes)` };
      }
      case 'apply_patch': {
        const changed = await applyWorkspacePatch(context.dir, args.value.patch as string);
        return { content: `patched ${changed.files.map((file) => `${file.path} (${file.action})`).join(', ')}` };
      }
      case 'finish': {
        const summary = args.value.summary as string;
        return { content: 'finished', finished: { summary } };
      }
    }
  } catch (error) {
    // The agent's mistakes (a path outside, a patch that does not apply) are told to it; anything else
    // (a full disk, a broken repository) is the platform's, and the job retries.
    if (isWorkspaceFileError(error) || error instanceof WorkspacePathError)
      return { content: `error: ${error.message}` };
    throw error;
  }
};
