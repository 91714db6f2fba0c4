import { adminTokenHeader, tenantHeader } from './development-identity';
import type { Credentials } from './identity';

export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

const first = (value: string | readonly string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value) as string | undefined;

/** What an HTTP request presents. */
export const credentialsFromHeaders = (headers: RequestHeaders): Credentials => ({
  authorization: first(headers.authorization),
  tenantHeader: first(headers[tenantHeader]),
  adminToken: first(headers[adminTokenHeader]),
});

/**
 * What a socket presents: browsers cannot set headers on a WebSocket, so `connectionParams` may carry
 * them (`authorization` or `Authorization`; `x-tenant-id` or `tenantId`); else the upgrade request's.
 */
export const credentialsFromConnection = (
  params: Readonly<Record<string, unknown>> | undefined,
  headers: RequestHeaders,
): Credentials => {
  const param = (...names: string[]) =>
    names.map((name) => params?.[name]).find((value): value is string => typeof value === 'string');
  const fromHeaders = credentialsFromHeaders(headers);
  return {
    authorization: param('authorization', 'Authorization') ?? fromHeaders.authorization,
    tenantHeader: param(tenantHeader, 'tenantId') ?? fromHeaders.tenantHeader,
    adminToken: param(adminTokenHeader) ?? fromHeaders.adminToken,
  };
};
