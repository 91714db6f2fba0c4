import { type JwtIssuer, signHs256, startJwtIssuer, subscribe, unsignedToken } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const jwtSecret = 'token-mode-test-secret-of-at-least-32-chars';
const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/**
 * The API in token mode: every request carries `Authorization: Bearer <API key or JWT>`. Keys are made
 * through the API's own services (as `npm run tenant:create` does) and through `createApiKey`.
 */
describe('token mode', () => {
  let t: TestApp;
  const tenantA = uniqueTenant('tok-a');
  const tenantB = uniqueTenant('tok-b');
  const keys: Record<string, string> = {};
  let adminKeyId = '';
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const as = <T = Record<string, unknown>>(secret: string, query: string, variables?: Record<string, unknown>) =>
    t.gql<T>(query, variables, null, bearer(secret));

  beforeAll(async () => {
    t = await startTestApp({
      AUTH_MODE: 'token',
      JWT_SECRET: jwtSecret,
      AUTH_SOCKET_RECHECK_MS: '200',
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
      AUTH_FAILURES_PER_MINUTE: '100000',
    });
    const { tenants, apiKeys } = t.app.services;
    keys.ownerA = (await tenants.createWithOwnerKey(tenantA)).secret;
    keys.ownerB = (await tenants.createWithOwnerKey(tenantB)).secret;
    const admin = await apiKeys.create(null, { name: 'test platform admin', role: 'platform_admin' });
    keys.admin = admin.secret;
    adminKeyId = admin.key.id;
    for (const role of ['member', 'viewer'] as const) {
      const created = await as<{ createApiKey: { secret: string } }>(
        keys.ownerA,
        'mutation($name: String!, $role: TenantRole!) { createApiKey(name: $name, role: $role) { secret key { prefix } } }',
        { name: `${role} key`, role },
      );
      expect(created.errors).toBeUndefined();
      keys[`${role}A`] = created.data?.createApiKey.secret as string;
    }
  });
  afterAll(async () => {
    await t.bolt.executeQuery('MATCH (k:ApiKey {id: $id}) DETACH DELETE k', { id: adminKeyId });
    await deleteTenants(t.bolt, tenantA, tenantB);
    await t.stop();
  });

  it('answers UNAUTHENTICATED to anonymous, forged, expired and wrong tokens, whatever the document', async () => {
    const documents = [
      '{ tasks { id } }',
      '{ me { tenantId } }',
      '{ nonsense }',
      createTask,
      'mutation { setBudget(amountUsd: 1) { leftUsd } }',
    ];
    const credentials: Record<string, Record<string, string>> = {
      anonymous: {},
      'a development header': { 'x-tenant-id': tenantA },
      'an unknown key': bearer(`aiorg_${'x'.repeat(43)}`),
      'a JWT with another secret': bearer(signHs256('x'.repeat(40), { tenant: tenantA, roles: ['owner'] })),
      'an expired JWT': bearer(signHs256(jwtSecret, { tenant: tenantA, roles: ['owner'] }, { expiresIn: -120 })),
      'alg none': bearer(unsignedToken({ tenant: tenantA, roles: ['owner'] })),
      'a JWT for a tenant that does not exist': bearer(
        signHs256(jwtSecret, { tenant: 'no-such-tenant', roles: ['owner'] }),
      ),
      'another scheme': { authorization: 'Basic dXNlcjpwYXNz' },
    };
    for (const [label, headers] of Object.entries(credentials)) {
      for (const query of documents) {
        const response = await t.gql(query, {}, null, headers);
        expect({ label, query, codes: codesOf(response) }).toEqual({ label, query, codes: ['UNAUTHENTICATED'] });
        expect(JSON.stringify(response)).not.toMatch(/eyJ|aiorg_/);
      }
    }
  });

  it('identifies keys and JWTs with their tenant and role', async () => {
    const me = '{ me { authMode tenantId role platformAdmin via } }';
    expect((await as(keys.memberA as string, me)).data).toEqual({
      me: { authMode: 'token', tenantId: tenantA, role: 'member', platformAdmin: false, via: 'api_key' },
    });
    const jwt = signHs256(jwtSecret, { tenant: tenantB, roles: ['viewer'] });
    expect((await as(jwt, me)).data).toEqual({
      me: { authMode: 'token', tenantId: tenantB, role: 'viewer', platformAdmin: false, via: 'jwt' },
    });
    expect((await as(keys.admin as string, me)).data).toEqual({
      me: { authMode: 'token', tenantId: null, role: null, platformAdmin: true, via: 'api_key' },
    });
  });

  it('lets each role do what it may and answers FORBIDDEN, changing nothing, beyond it', async () => {
    const input = { input: { description: 'made by a role test' } };
    expect(codesOf(await as(keys.viewerA as string, createTask, input))).toEqual(['FORBIDDEN']);
    expect((await as(keys.viewerA as string, '{ tasks { id } }')).errors).toBeUndefined();
    expect((await as(keys.memberA as string, createTask, input)).errors).toBeUndefined();
    const keyList = '{ apiKeys { name role } }';
    expect(codesOf(await as(keys.memberA as string, keyList))).toEqual(['FORBIDDEN']);
    expect((await as<{ apiKeys: unknown[] }>(keys.ownerA as string, keyList)).data?.apiKeys).toHaveLength(3);
    const setBudget = 'mutation($t: ID) { setBudget(amountUsd: 2, tenantId: $t) { leftUsd } }';
    expect(codesOf(await as(keys.ownerA as string, setBudget, { t: tenantA }))).toEqual(['FORBIDDEN']);
    expect((await as(keys.admin as string, setBudget, { t: tenantA })).errors).toBeUndefined();
    expect(codesOf(await as(keys.admin as string, setBudget, { t: 'no-such-tenant' }))).toEqual(['NOT_FOUND']);
    // A platform-admin key acts for no tenant: it reads no tenant's data.
    expect(codesOf(await as(keys.admin as string, '{ backlog { id } }'))).toEqual(['FORBIDDEN']);
    const tasks = await t.bolt.executeQuery('MATCH (x:Task {tenantId: $tenantA}) RETURN x.description AS d', {
      tenantA,
    });
    expect(tasks.records.map((r) => r.get('d'))).toEqual(['made by a role test']);
  });

  it('lets only a platform admin create a tenant, whose owner key then works', async () => {
    const id = uniqueTenant('tok-new');
    const createTenant = 'mutation($id: ID!) { createTenant(id: $id) { tenantId ownerKey { secret key { role } } } }';
    expect(codesOf(await as(keys.ownerA as string, createTenant, { id }))).toEqual(['FORBIDDEN']);
    const created = await as<{ createTenant: { ownerKey: { secret: string } } }>(keys.admin as string, createTenant, {
      id,
    });
    try {
      expect(created.errors).toBeUndefined();
      const owner = created.data?.createTenant.ownerKey.secret as string;
      expect((await as(owner, '{ me { tenantId role } }')).data).toEqual({ me: { tenantId: id, role: 'owner' } });
      expect(codesOf(await as(keys.admin as string, createTenant, { id }))).toEqual(['CONFLICT']);
    } finally {
      await deleteTenants(t.bolt, id);
    }
  });

  it("keeps tenant A's key out of tenant B's data over GraphQL and REST", async () => {
    const created = await as<{ createTask: { id: string } }>(keys.ownerB as string, createTask, {
      input: { description: 'secret plan of B' },
    });
    const bTask = created.data?.createTask.id as string;
    const read = await as<{ tasks: { id: string }[] }>(keys.ownerA as string, '{ tasks { id description } }');
    expect(read.data?.tasks.map((task) => task.id)).not.toContain(bTask);
    const status = 'mutation($id: ID!) { setTaskStatus(id: $id, status: done) { id } }';
    expect(codesOf(await as(keys.ownerA as string, status, { id: bTask }))).toEqual(['NOT_FOUND']);
    const rest = await fetch(`${t.url}/backlog`, { headers: bearer(keys.ownerA as string) });
    expect(((await rest.json()) as { id: string }[]).map((task) => task.id)).not.toContain(bTask);
    const anonymousRest = await fetch(`${t.url}/backlog`);
    expect(anonymousRest.status).toBe(401);
    const viewerPost = await fetch(`${t.url}/task`, {
      method: 'POST',
      headers: { ...bearer(keys.viewerA as string), 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'viewer may not' }),
    });
    expect(viewerPost.status).toBe(403);
    const { records } = await t.bolt.executeQuery('MATCH (x:Task {id: $bTask}) RETURN x.status AS s', { bTask });
    expect(records.map((r) => r.get('s'))).toEqual(['todo']);
  });

  it('refuses a revoked key on the next request and closes its open socket with 4403', async () => {
    const created = await as<{ createApiKey: { secret: string; key: { id: string } } }>(
      keys.ownerA as string,
      'mutation { createApiKey(name: "soon revoked", role: viewer) { secret key { id } } }',
    );
    const { secret, key } = created.data?.createApiKey ?? { secret: '', key: { id: '' } };
    expect((await as(secret, '{ me { role } }')).errors).toBeUndefined();
    const socket = subscribe(`${t.url.replace('http', 'ws')}/graphql`, bearer(secret));
    await socket.connected;
    const revoked = await as(keys.ownerA as string, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', {
      id: key.id,
    });
    expect(revoked.errors).toBeUndefined();
    expect(codesOf(await as(secret, '{ me { role } }'))).toEqual(['UNAUTHENTICATED']);
    expect(await socket.closed).toBe(4403);
    await socket.dispose();
  });

  it('closes a socket whose token expires, and refuses a socket without a credential with 4401', async () => {
    const shortLived = signHs256(jwtSecret, { tenant: tenantA, roles: ['viewer'] }, { expiresIn: 2 });
    const socket = subscribe(`${t.url.replace('http', 'ws')}/graphql`, bearer(shortLived));
    await socket.connected;
    expect(await socket.closed).toBe(4403);
    await socket.dispose();
    const anonymous = subscribe(`${t.url.replace('http', 'ws')}/graphql`, { 'x-tenant-id': tenantA });
    expect(await anonymous.closed).toBe(4401);
    await anonymous.dispose();
  });
});

/** Token mode against an issuer's JWKS (the Auth0/Keycloak/Entra ID setup), through the API itself. */
describe('token mode with an issuer’s JWKS', () => {
  let t: TestApp;
  let issuer: JwtIssuer;
  const tenant = uniqueTenant('tok-jwks');

  beforeAll(async () => {
    issuer = await startJwtIssuer();
    t = await startTestApp({
      AUTH_MODE: 'token',
      JWT_JWKS_URL: issuer.jwksUrl,
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      JWT_TENANT_CLAIM: 'https://ai-org.example/tenant',
    });
    await t.app.services.tenants.create(tenant);
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
    await issuer.close();
  });

  const claims = { 'https://ai-org.example/tenant': tenant, roles: ['member'] };
  const me = (token: string) => t.gql('{ me { tenantId role via } }', {}, null, { authorization: `Bearer ${token}` });

  it("accepts the issuer's token and refuses a wrong audience, a wrong issuer and an expired one", async () => {
    expect((await me(issuer.sign(claims, { alg: 'ES256' }))).data).toEqual({
      me: { tenantId: tenant, role: 'member', via: 'jwt' },
    });
    for (const options of [{ audience: 'someone-else' }, { issuer: 'https://evil.example/' }, { expiresIn: -60 }]) {
      expect(codesOf(await me(issuer.sign(claims, options)))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses a token signed with the shared-secret algorithm, whatever key it names', async () => {
    const [rsa] = issuer.keys();
    const forged = signHs256('any secret of the forger, 32 chars+', claims, {
      issuer: issuer.issuer,
      audience: issuer.audience,
      header: { kid: rsa?.kid },
    });
    expect(codesOf(await me(forged))).toEqual(['UNAUTHENTICATED']);
  });
});
