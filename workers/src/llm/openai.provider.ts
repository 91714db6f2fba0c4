import { countMessageTokens, countTokens } from '@ai-org/core';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type {
  Completion,
  CompletionRequest,
  LlmProvider,
  StepRequest,
  StepResponse,
  ToolStepProvider,
} from './llm-provider';
import { toLlmError } from './openai-errors';
import { parseCompletionBody, parseStepBody } from './openai-response';
import { toOpenAiMessages, toOpenAiTools } from './openai-step-request';
import { countStepCompletionTokens, countStepPromptTokens } from './step-tokens';

export interface OpenAiProviderOptions {
  /** Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp...), ending in `/v1`. Default: OpenAI. */
  readonly baseURL?: string;
  readonly apiKey: string;
  readonly model: string;
  /** Whole call, body included. */
  readonly timeoutMs: number;
}

const openAiBaseUrl = 'https://api.openai.com/v1';

/**
 * At most this many of a step's tool calls are acted on; the rest are dropped (their tokens still
 * count). Dropping, not failing: a retry would pay for the same long answer again, and the model sees
 * in the conversation which calls were made and can ask for the rest in its next step.
 */
export const maxToolCallsPerStep = 16;

/** The request body without `model`, which `send` adds. */
type ChatBody = Omit<ChatCompletionCreateParamsNonStreaming, 'model'>;

/** Chat completions from an OpenAI-compatible server; failures come out as LlmError subclasses. */
export class OpenAiProvider implements LlmProvider, ToolStepProvider {
  readonly name = 'openai';
  readonly model: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly client: OpenAI;

  constructor(options: OpenAiProviderOptions) {
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      // Explicit values, so OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID cannot bypass our config.
      baseURL: options.baseURL ?? openAiBaseUrl,
      organization: null,
      project: null,
      timeout: options.timeoutMs,
      // The job queue retries, with its own backoff and the budget in view; the client must not.
      maxRetries: 0,
    });
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const messages = request.messages.map(({ role, content }) => ({ role, content }));
    const body = parseCompletionBody(await this.send({ messages, max_tokens: request.maxTokens }, request.signal));
    return {
      text: body.text,
      promptTokens: body.usage?.promptTokens ?? countMessageTokens(request.messages),
      completionTokens: body.usage?.completionTokens ?? countTokens(body.text),
      finishReason: body.finishReason,
      tokenSource: body.usage ? 'usage' : 'tokenizer',
      provider: 'openai',
      model: body.model ?? this.model,
    };
  }

  /** One step of a tool-using conversation: the model answers with text and/or calls of `request.tools`. */
  async step(request: StepRequest): Promise<StepResponse> {
    const tools = toOpenAiTools(request.tools);
    const body = parseStepBody(
      await this.send(
        {
          messages: toOpenAiMessages(request.messages),
          max_tokens: request.maxTokens,
          // OpenAI rejects `tool_choice` without `tools`: a step offering none is a plain completion.
          ...(tools.length > 0 ? { tools, tool_choice: 'auto' as const } : {}),
        },
        request.signal,
      ),
    );
    return {
      text: body.text,
      toolCalls: body.toolCalls.slice(0, maxToolCallsPerStep),
      promptTokens: body.usage?.promptTokens ?? countStepPromptTokens(request.messages, request.tools),
      completionTokens: body.usage?.completionTokens ?? countStepCompletionTokens(body.text, body.toolCalls),
      finishReason: body.finishReason,
      tokenSource: body.usage ? 'usage' : 'tokenizer',
      provider: 'openai',
      model: body.model ?? this.model,
    };
  }

  /**
   * The client's own timeout stops once the headers arrive, so a server that stalls mid-body would hang
   * the job: one signal bounds the whole call and also carries the caller's abort.
   * `max_tokens`, not `max_completion_tokens`: openai 6 marks it deprecated for OpenAI's reasoning
   * models, but it is the field every OpenAI-compatible server (Ollama, vLLM, llama.cpp) accepts.
   */
  private async send(body: ChatBody, signal: AbortSignal | undefined): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (signal?.aborted) controller.abort();
    try {
      const answer: unknown = await this.client.chat.completions.create(
        { ...body, model: this.model },
        { signal: controller.signal },
      );
      return answer;
    } catch (error) {
      const callerAborted = signal?.aborted ?? false;
      throw toLlmError(error, { apiKey: this.apiKey, timeoutMs: this.timeoutMs, timedOut, callerAborted });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
