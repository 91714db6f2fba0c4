import { generateKeyPair, type JsonWebKey, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { type AsymmetricAlg, type JwtClaimsInput, type JwtSignOptions, signAsymmetric } from './jwt-sign';

export interface SigningKey {
  readonly alg: AsymmetricAlg;
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface IssuerSignOptions extends JwtSignOptions {
  /** Which of the current keys signs; default RS256. */
  readonly alg?: AsymmetricAlg;
}

export interface JwtIssuer {
  /** `http://127.0.0.1:<port>/.well-known/jwks.json`, serving the current keys' public halves. */
  readonly jwksUrl: string;
  /** The `iss` its tokens carry (`http://127.0.0.1:<port>/`). */
  readonly issuer: string;
  /** The `aud` its tokens carry. */
  readonly audience: string;
  /** A token from one of the current keys, with this issuer's `iss` and `aud` unless overridden. */
  sign(claims: JwtClaimsInput, options?: IssuerSignOptions): string;
  /** Replaces every key with new ones (new kids): the old keys are no longer published. */
  rotate(): Promise<void>;
  /** The current keys (tests forge tokens with their public halves). */
  keys(): readonly SigningKey[];
  /** How many times the key set was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

const generate = promisify(generateKeyPair);

const keyPair = (alg: AsymmetricAlg) => {
  switch (alg) {
    case 'RS256':
    case 'PS256':
      return generate('rsa', { modulusLength: 2048 });
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generate('ed25519');
  }
};

const algorithms: readonly AsymmetricAlg[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

const newKeys = (): Promise<SigningKey[]> => {
  const generation = randomBytes(4).toString('hex');
  return Promise.all(
    algorithms.map(async (alg) => ({ alg, kid: `${alg.toLowerCase()}-${generation}`, ...(await keyPair(alg)) })),
  );
};

const publicJwk = (key: SigningKey): JsonWebKey => ({
  ...key.publicKey.export({ format: 'jwk' }),
  kid: key.kid,
  alg: key.alg,
  use: 'sig',
});

const answer = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/**
 * A local OpenID-style issuer for tests: a JWKS endpoint on a free loopback port with one key per
 * asymmetric algorithm, generated on start and replaced by `rotate()`.
 */
export const startJwtIssuer = async (options: { readonly audience?: string } = {}): Promise<JwtIssuer> => {
  let keys = await newKeys();
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return answer(response, 404, { error: 'not found' });
    fetches += 1;
    answer(response, 200, { keys: keys.map(publicJwk) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/`;
  const audience = options.audience ?? 'ai-org-api';

  return {
    jwksUrl: `${origin}/.well-known/jwks.json`,
    issuer,
    audience,
    sign: (claims, { alg = 'RS256', ...rest } = {}) => {
      const key = keys.find((candidate) => candidate.alg === alg);
      if (!key) throw new Error(`no ${alg} key`);
      return signAsymmetric(key, claims, { issuer, audience, ...rest });
    },
    rotate: async () => {
      keys = await newKeys();
    },
    keys: () => keys,
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
