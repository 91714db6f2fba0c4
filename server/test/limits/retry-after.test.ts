import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/graphql/format-error';
import { rateLimited } from '../../src/limits/rate-limits';
import { toHttpGraphQLError } from '../../src/limits/retry-after';
import { retryAfterPlugin } from '../../src/limits/retry-after.plugin';

type Context = { readonly refuseInContext: boolean };

/** A tiny Apollo app over real HTTP: `limited` throws RATE_LIMITED from its resolver, `fine` answers. */
const startFakeApi = async () => {
  const apollo = new ApolloServer<Context>({
    typeDefs: 'type Query { limited: Boolean, fine: Boolean }',
    resolvers: {
      Query: {
        limited: () => {
          throw rateLimited(7_000);
        },
        fine: () => true,
      },
    },
    plugins: [retryAfterPlugin<Context>()],
    // The app's formatError does more (masking); the code is what these tests need.
    formatError: (formatted, error) => {
      const { code, message } = classifyError(error);
      return { ...formatted, message, extensions: { code } };
    },
  });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        // What the context factory does with a refusal from identity (RATE_LIMITED before any resolver).
        if (req.headers['x-refuse'] === 'yes') throw toHttpGraphQLError(rateLimited(12_000));
        return { refuseInContext: false };
      },
    }),
  );
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
  const stop = async () => {
    await apollo.stop();
    await new Promise((resolve) => server.close(resolve));
  };
  return { post, stop };
};

interface Body {
  data?: unknown;
  errors?: { message: string; extensions: { code: string; details?: { retryAfterSeconds?: number } } }[];
}

describe('Retry-After on RATE_LIMITED GraphQL answers (Apollo 5 over HTTP)', () => {
  it('sets Retry-After and 429 when a resolver refuses the whole operation with RATE_LIMITED', async () => {
    const api = await startFakeApi();
    try {
      const response = await api.post('{ limited }');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      const body = (await response.json()) as Body;
      expect(body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
      expect(body.errors?.[0]?.message).toBe('Too many requests, retry in 7 s');
    } finally {
      await api.stop();
    }
  });

  it('sets Retry-After but keeps 200 when other fields of the operation answered', async () => {
    const api = await startFakeApi();
    try {
      const response = await api.post('{ fine limited }');
      expect(response.status).toBe(200);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(((await response.json()) as Body).data).toEqual({ fine: true, limited: null });
    } finally {
      await api.stop();
    }
  });

  it('answers a refusal thrown by the context function with 429, Retry-After and the typed error', async () => {
    const api = await startFakeApi();
    try {
      const response = await api.post('{ fine }', { 'x-refuse': 'yes' });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('12');
      const body = (await response.json()) as Body;
      expect(body.errors?.[0]).toMatchObject({
        message: 'Too many requests, retry in 12 s',
        extensions: { code: 'RATE_LIMITED' },
      });
      // Apollo strips extensions.http from the body.
      expect(JSON.stringify(body)).not.toContain('"http"');
    } finally {
      await api.stop();
    }
  });

  it('leaves answers without a refusal alone', async () => {
    const api = await startFakeApi();
    try {
      const response = await api.post('{ fine }');
      expect(response.status).toBe(200);
      expect(response.headers.get('retry-after')).toBeNull();
    } finally {
      await api.stop();
    }
  });
});
