import { countMessageTokens, countTokens } from '@ai-org/core';
import OpenAI from 'openai';
import type { Completion, CompletionRequest, LlmProvider } from './llm-provider';
import { toLlmError } from './openai-errors';
import { parseCompletionBody } from './openai-response';

export interface OpenAiProviderOptions {
  /** Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp...), ending in `/v1`. Default: OpenAI. */
  readonly baseURL?: string;
  readonly apiKey: string;
  readonly model: string;
  /** Whole call, body included. */
  readonly timeoutMs: number;
}

const openAiBaseUrl = 'https://api.openai.com/v1';

/** Chat completions from an OpenAI-compatible server; failures come out as LlmError subclasses. */
export class OpenAiProvider implements LlmProvider {
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
    const body = parseCompletionBody(await this.send(request));
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

  /**
   * The client's own timeout stops once the headers arrive, so a server that stalls mid-body would hang
   * the job: one signal bounds the whole call and also carries the caller's abort.
   * `max_tokens`, not `max_completion_tokens`: openai 6 marks it deprecated for OpenAI's reasoning
   * models, but it is the field every OpenAI-compatible server (Ollama, vLLM, llama.cpp) accepts.
   */
  private async send(request: CompletionRequest): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (request.signal?.aborted) controller.abort();
    try {
      const body: unknown = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: request.messages.map(({ role, content }) => ({ role, content })),
          max_tokens: request.maxTokens,
        },
        { signal: controller.signal },
      );
      return body;
    } catch (error) {
      const callerAborted = request.signal?.aborted ?? false;
      throw toLlmError(error, { apiKey: this.apiKey, timeoutMs: this.timeoutMs, timedOut, callerAborted });
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
