import { countMessageTokens, countTokens } from '@ai-org/core';
import type { AgentMessage, ToolDefinition } from '../../llm';

/** Tokens of a tool-using conversation and its tools, as our tokenizer counts them (a close estimate). */
export const countConversationTokens = (
  messages: readonly AgentMessage[],
  tools: readonly ToolDefinition[] = [],
): number => {
  const flat = messages.map((message) => ({
    role: message.role === 'system' ? ('system' as const) : ('user' as const),
    content:
      message.role === 'assistant'
        ? `${message.content ?? ''}${message.toolCalls?.length ? JSON.stringify(message.toolCalls) : ''}`
        : message.content,
  }));
  return countMessageTokens(flat) + (tools.length === 0 ? 0 : countTokens(JSON.stringify(tools)));
};
