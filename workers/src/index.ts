export { buildWorkers, type Workers } from './app';
