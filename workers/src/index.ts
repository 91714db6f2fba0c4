export { buildWorkers, type Workers } from './app';
export { createLlmProvider, type LlmProvider, OfflineProvider, OpenAiProvider } from './llm';
export { buildOrchestrator, type Orchestrator } from './orchestrator/orchestrator';
