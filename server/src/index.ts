export { type App, buildApp, graphqlPath } from './app';
