import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';

/** body-parser's error type for a body that is not UTF-8; format-error maps it to BAD_USER_INPUT. */
export const invalidUtf8Type = 'entity.utf8.invalid';

/**
 * Refuses a UTF-8 body with bytes that are not UTF-8 (a CESU-encoded surrogate, a stray 0xFF): the
 * decoder would otherwise replace them with U+FFFD and the text stored would not be the text sent.
 */
const refuseInvalidUtf8 = (_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void => {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8' || isUtf8(body)) return;
  throw Object.assign(new Error('Request body is not valid UTF-8'), { status: 400, type: invalidUtf8Type });
};

/** The JSON body parser of /graphql and the REST aliases: at most `limit`, valid UTF-8. */
export const jsonBody = (limit: string): RequestHandler => express.json({ limit, verify: refuseInvalidUtf8 });
