import { describe, expect, it } from 'vitest';
import { AppError } from './app-error';
import { toAppError } from './to-app-error';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('toAppError', () => {
  it('passes a known error through unchanged', () => {
    const known = new AppError('NOT_FOUND', 'Task k3v9x0aq not found');
    expect(toAppError(known)).toBe(known);
  });

  it('answers SERVICE_UNAVAILABLE when every pooled Neo4j connection is busy (a burst), not INTERNAL', () => {
    const busy = new Error(
      'Connection acquisition timed out in 5000 ms. Pool status: Active conn count = 100, Idle conn count = 0.',
    );
    expect(toAppError(busy)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { service: 'Neo4j' } });
  });

  it('answers SERVICE_UNAVAILABLE when a Redis command times out (a burst), not INTERNAL', () => {
    expect(toAppError(new Error('Command timed out'))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { service: 'Redis' },
    });
  });

  it('answers SERVICE_UNAVAILABLE for Neo4j and network outages', () => {
    expect(toAppError(withCode('no route', 'ServiceUnavailable'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(toAppError(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(toAppError(new Error('Connection is closed.'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('answers SERVICE_UNAVAILABLE, saying the query took too long, when Neo4j aborts a transaction at its timeout', () => {
    const stopped = withCode(
      'The transaction has been terminated…',
      'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
    );
    expect(toAppError(stopped)).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining('took too long'),
      details: { service: 'Neo4j', reason: 'transaction_timeout' },
    });
  });

  it('masks anything else as INTERNAL_SERVER_ERROR without its message', () => {
    const masked = toAppError(new Error('secret internals'));
    expect(masked.code).toBe('INTERNAL_SERVER_ERROR');
    expect(masked.message).not.toContain('secret');
  });
});
