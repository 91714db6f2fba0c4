/// <reference types="node" />
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

// The API the dev server and `vite preview` forward to (the browser only ever talks to this origin).
const apiUrl = process.env.AI_ORG_API_URL ?? 'http://127.0.0.1:8000';

const proxy: Record<string, ProxyOptions> = {
  '/graphql': { target: apiUrl, changeOrigin: true, ws: true },
  // The API's public health route (`GET /`, which names the identity mode); before '/api', which would match it.
  '/api/health': { target: apiUrl, changeOrigin: true, rewrite: () => '/' },
  '/api': { target: apiUrl, changeOrigin: true },
  // Release downloads (`/workspaces/<id>/bundle`), fetched with the same credentials as /graphql.
  '/workspaces': { target: apiUrl, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
  build: {
    target: 'es2022',
    // The lazily loaded GraphiQL chunk (CodeMirror 5 + GraphiQL) is ~0.9 MB; the app itself is far smaller.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-compiler-runtime (a GraphiQL dependency) starts with "use no memo"; harmless when bundled.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
