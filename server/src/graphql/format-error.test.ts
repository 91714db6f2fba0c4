import { AppError } from '@ai-org/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { createFormatError } from './format-error';

const format = createFormatError({ debugErrors: false, hideSuggestions: true, onInternalError: vi.fn() });
const asResolverError = (original: Error) =>
  new GraphQLError(original.message, { originalError: original, path: ['x'] });

describe('formatError', () => {
  it('keeps the code and message of an expected error', () => {
    const error = asResolverError(new AppError('NOT_FOUND', 'Task abc not found'));
    expect(format({ message: 'Task abc not found' }, error)).toMatchObject({
      message: 'Task abc not found',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR without its message or stack', () => {
    const onInternalError = vi.fn();
    const masked = createFormatError({ debugErrors: false, hideSuggestions: true, onInternalError })(
      { message: 'secret detail', extensions: { stacktrace: ['at x'] } },
      asResolverError(new TypeError('secret detail')),
    );
    expect(JSON.parse(JSON.stringify(masked))).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('turns a Neo4j connection failure into SERVICE_UNAVAILABLE', () => {
    const neo4jDown = Object.assign(new Error('Could not connect'), { code: 'ServiceUnavailable' });
    expect(format({ message: 'x' }, asResolverError(neo4jDown)).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it.each([
    ['Neo4j 5', 'Graph not found: nosuchdb'],
    ['Neo4j 4', "Database does not exist. Database name: 'nosuchdb'."],
  ])('turns a missing database (%s) into SERVICE_UNAVAILABLE naming it, without a stack', (_, message) => {
    const onInternalError = vi.fn();
    const missing = Object.assign(new Error(message), { code: 'Neo.ClientError.Database.DatabaseNotFound' });
    const formatted = createFormatError({ debugErrors: true, hideSuggestions: true, onInternalError })(
      { message, extensions: { stacktrace: ['at x'] } },
      asResolverError(missing),
    );
    expect(formatted).toMatchObject({
      message: 'Neo4j database "nosuchdb" does not exist',
      extensions: { code: 'SERVICE_UNAVAILABLE', details: { service: 'Neo4j' } },
    });
    expect(formatted.extensions).not.toHaveProperty('stacktrace');
    expect(onInternalError).not.toHaveBeenCalled();
  });

  it("maps @neo4j/graphql's Unauthenticated to UNAUTHENTICATED", () => {
    expect(
      format({ message: 'Unauthenticated' }, asResolverError(new GraphQLError('Unauthenticated'))).extensions?.code,
    ).toBe('UNAUTHENTICATED');
  });

  it('strips field suggestions from request errors unless told to keep them', () => {
    const message = 'Cannot query field "tsks" on type "Query". Did you mean "tasks" or "goals"?';
    const error = new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = { message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(format(formatted, error).message).toBe('Cannot query field "tsks" on type "Query".');
    const keep = createFormatError({ debugErrors: false, hideSuggestions: false, onInternalError: vi.fn() });
    expect(keep(formatted, error).message).toBe(message);
  });

  it('passes request errors of GraphQL itself through with their code', () => {
    const error = new GraphQLError('Syntax Error', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(
      format({ message: 'Syntax Error', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, error).extensions?.code,
    ).toBe('GRAPHQL_PARSE_FAILED');
  });
});
