import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AgentMessage, ToolCall, ToolDefinition } from './llm-provider';

const toOpenAiToolCall = ({ id, name, arguments: args }: ToolCall) =>
  ({ id, type: 'function', function: { name, arguments: args } }) as const;

const toOpenAiMessage = (message: AgentMessage): ChatCompletionMessageParam => {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      // OpenAI rejects an empty `tool_calls` array: a text-only turn goes without the field.
      return message.toolCalls?.length
        ? { role: 'assistant', content: message.content, tool_calls: message.toolCalls.map(toOpenAiToolCall) }
        : { role: 'assistant', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
};

/** Our camel-cased conversation in OpenAI's chat format. */
export const toOpenAiMessages = (messages: readonly AgentMessage[]): ChatCompletionMessageParam[] =>
  messages.map(toOpenAiMessage);

export const toOpenAiTools = (tools: readonly ToolDefinition[]): ChatCompletionFunctionTool[] =>
  tools.map(({ name, description, parameters }) => ({
    type: 'function',
    function: { name, description, parameters: { ...parameters } },
  }));
