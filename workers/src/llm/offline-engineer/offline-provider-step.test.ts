import { countTokens } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import { LlmTransientError } from '../llm-errors';
import type { AgentMessage, StepRequest } from '../llm-provider';
import { OfflineProvider } from '../offline.provider';
import { offlineLabel } from '../offline-deliverable';
import { countStepCompletionTokens, countStepPromptTokens } from '../step-tokens';
import { openingOf, type TaskSpec, toolsFor } from './workspace-driver.test-support';

const task: TaskSpec = {
  id: 'abcd1234',
  description: 'Parse the CSV input into rows and reject malformed rows, naming the line or field at fault.',
  goal: 'a CLI that converts CSV to JSON',
  role: 'dev',
  writable: true,
};

const afterListing: AgentMessage[] = [
  ...openingOf(task),
  { role: 'assistant', content: null, toolCalls: [{ id: 'offline-0-0', name: 'list_files', arguments: '{}' }] },
  { role: 'tool', toolCallId: 'offline-0-0', content: '(no files)' },
];

const request = (messages: AgentMessage[], maxTokens = 8_192): StepRequest => ({
  messages,
  tools: toolsFor(true),
  maxTokens,
});

describe('OfflineProvider.step', () => {
  it('answers with tool calls, counted with the tokenizer like any step without usage, as the offline provider', async () => {
    const response = await new OfflineProvider().step(request(openingOf(task)));
    expect(response).toEqual({
      text: null,
      toolCalls: [{ id: 'offline-0-0', name: 'list_files', arguments: '{}' }],
      promptTokens: countStepPromptTokens(openingOf(task), toolsFor(true)),
      completionTokens: countStepCompletionTokens(null, response.toolCalls),
      finishReason: 'tool_calls',
      tokenSource: 'tokenizer',
      provider: 'offline',
      model: 'offline',
    });
  });

  it('counts the tool calls and results of earlier steps in the prompt', async () => {
    const first = await new OfflineProvider().step(request(openingOf(task)));
    const later = await new OfflineProvider().step(request(afterListing));
    expect(later.promptTokens).toBeGreaterThan(first.promptTokens + countTokens('(no files)'));
  });

  it('is deterministic', async () => {
    const first = await new OfflineProvider().step(request(afterListing));
    expect(await new OfflineProvider().step(request(afterListing))).toEqual(first);
  });

  it('answers as cut off, with no calls, when one call would exceed maxTokens', async () => {
    const response = await new OfflineProvider().step(request(afterListing, 100));
    expect(response.finishReason).toBe('length');
    expect(response.toolCalls).toEqual([]);
    expect(response.completionTokens).toBeLessThanOrEqual(100);
  });

  it('labels a text answer on its first line', async () => {
    const tools = toolsFor(false).filter((tool) => tool.name === 'list_files');
    const response = await new OfflineProvider().step({ messages: afterListing, tools, maxTokens: 8_192 });
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
    expect(response.text?.split('\n')[0]).toBe(offlineLabel);
  });

  it('gives up with a transient error when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = new OfflineProvider({ latencyMs: 10_000 }).step({
      ...request(afterListing),
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(LlmTransientError);
  });
});
