export { type App, buildApp, graphqlPath } from './app';
export { authModeBanner } from './auth/auth-mode';
