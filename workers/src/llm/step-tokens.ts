import { countMessageTokens, countTokens } from '@ai-org/core';
import type { AgentMessage, ToolCall, ToolDefinition } from './llm-provider';

/**
 * Token counts of a tool-using step for when the server reports no `usage`. Provider-neutral: calls
 * count as the JSON text of their names and arguments (what a model writes for them; ids are the
 * server's), tool definitions as their JSON, which servers render into the prompt in their own way.
 * An approximation, like every tokenizer count of a model we do not run (see core's token-counter).
 */
const callsText = (calls: readonly ToolCall[] | undefined): string =>
  calls?.length ? JSON.stringify(calls.map(({ name, arguments: args }) => ({ name, arguments: args }))) : '';

const textOf = (message: AgentMessage): string =>
  message.role === 'assistant' ? (message.content ?? '') + callsText(message.toolCalls) : message.content;

export const countStepPromptTokens = (messages: readonly AgentMessage[], tools: readonly ToolDefinition[]): number =>
  countMessageTokens(messages.map((message) => ({ role: message.role, content: textOf(message) }))) +
  (tools.length > 0 ? countTokens(JSON.stringify(tools)) : 0);

export const countStepCompletionTokens = (text: string | null, toolCalls: readonly ToolCall[]): number =>
  countTokens(text ?? '') + countTokens(callsText(toolCalls));
