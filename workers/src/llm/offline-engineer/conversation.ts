import type { AgentMessage, ToolCall } from '../llm-provider';

/** The first four lines of the task message (prompts/agent-task.mustache). */
export interface TaskHeader {
  readonly taskId: string;
  readonly description: string;
  readonly goal: string;
  readonly role: string;
}

/** A call the agent made earlier, with the result the loop fed back (undefined if none came). */
export interface PastCall {
  readonly call: ToolCall;
  readonly args: Readonly<Record<string, unknown>>;
  readonly result: string | undefined;
  /** The number of the assistant step that made it, from 0. */
  readonly step: number;
}

export interface Conversation {
  readonly header: TaskHeader;
  readonly calls: readonly PastCall[];
  /** Assistant messages so far: the number of the step to take now. */
  readonly step: number;
  /** User messages after the agent's first step: the gate reporting failed tests, or similar. */
  readonly gateRounds: number;
  /** The calls made since the last such user message (all calls when there is none). */
  readonly callsThisRound: readonly PastCall[];
  /** The results of the last step's calls, when the last message is a tool result. */
  readonly lastResults: readonly PastCall[];
}

const lineValue = (lines: readonly string[], pattern: RegExp): string =>
  lines.map((line) => pattern.exec(line)?.[1]?.trim()).find((value) => value !== undefined) ?? '';

const headerOf = (messages: readonly AgentMessage[]): TaskHeader => {
  const task = messages.find((message) => message.role === 'user')?.content ?? '';
  const lines = task.split('\n').slice(0, 8);
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const task0 = /^Task\s+(\S+?)\s*:\s*(.*)$/.exec(lines.find((line) => /^Task\s/.test(line)) ?? '');
  const roleInSystem = /\((dev|ux_ui|qa|telemetry)\)|\b(dev|ux_ui|qa|telemetry) agent\b/.exec(system);
  return {
    taskId: task0?.[1] ?? 'task',
    description: task0?.[2]?.trim() ?? '',
    goal: lineValue(lines, /^Goal\s*:(.*)$/),
    role: lineValue(lines, /^Role\s*:(.*)$/) || roleInSystem?.[1] || roleInSystem?.[2] || 'generic',
  };
};

const argsOf = (call: ToolCall): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Reads what happened so far from the messages alone: the offline engineer keeps no other state. */
export const conversationOf = (messages: readonly AgentMessage[]): Conversation => {
  const results = new Map<string, string>();
  for (const message of messages) if (message.role === 'tool') results.set(message.toolCallId, message.content);
  const calls: PastCall[] = [];
  let step = 0;
  let gateRounds = 0;
  let roundStart = 0;
  let lastStepCalls: PastCall[] = [];
  for (const message of messages) {
    if (message.role === 'user' && step > 0) {
      gateRounds += 1;
      roundStart = calls.length;
    }
    if (message.role !== 'assistant') continue;
    lastStepCalls = (message.toolCalls ?? []).map((call) => ({
      call,
      args: argsOf(call),
      result: results.get(call.id),
      step,
    }));
    calls.push(...lastStepCalls);
    step += 1;
  }
  const last = messages.at(-1);
  return {
    header: headerOf(messages),
    calls,
    step,
    gateRounds,
    callsThisRound: calls.slice(roundStart),
    lastResults: last?.role === 'tool' ? lastStepCalls : [],
  };
};

/** A tool result that reports a failure rather than an outcome. */
export const isErrorResult = ({ call, result }: PastCall): boolean => {
  if (result === undefined) return false;
  if (call.name === 'write_file') return !/^wrote\s/i.test(result);
  return /^(?:error|refused|denied|forbidden|not allowed|unknown tool|invalid)\b/i.test(result.trim());
};
