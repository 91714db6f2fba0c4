import type { ApolloServerPlugin } from '@apollo/server';
import { classifyError } from '../graphql/format-error';
import { retryAfterSecondsOf } from './retry-after';

/**
 * Errors thrown by resolvers carry no HTTP head of their own. When any error of a response is a
 * refusal that names `details.retryAfterSeconds` (RATE_LIMITED), this sets `Retry-After` (the longest
 * wait named) and, when the whole operation was refused (no root field answered), the status 429.
 */
export const retryAfterPlugin = <T extends object>(): ApolloServerPlugin<T> => ({
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        const refusals = (errors ?? []).map(classifyError).filter((error) => error.code === 'RATE_LIMITED');
        const waits = refusals.map(retryAfterSecondsOf).filter((seconds) => seconds !== undefined);
        if (waits.length === 0) return;
        response.http.headers.set('retry-after', String(Math.max(...waits)));
        const body = response.body;
        if (body.kind !== 'single' || (response.http.status !== undefined && response.http.status !== 200)) return;
        // Refused as a whole: no data, or no root field answered anything.
        const data = body.singleResult.data;
        if (data === undefined || data === null || Object.values(data).every((value) => value === null)) {
          response.http.status = 429;
        }
      },
    };
  },
});
