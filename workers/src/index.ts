export { buildWorkers, type Workers } from './app';
export { buildOrchestrator, type Orchestrator } from './orchestrator/orchestrator';
