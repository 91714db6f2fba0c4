import { graphql } from '../../../gql';

/** The tenant's API keys, revoked ones included, never their secrets (owners only). */
export const apiKeysQuery = graphql(`
  query ApiKeys {
    apiKeys {
      id
      name
      role
      prefix
      createdAt
      expiresAt
      lastUsedAt
      revokedAt
    }
  }
`);

/** Creates a key; the answer carries its secret this once. */
export const createApiKeyMutation = graphql(`
  mutation CreateApiKey($name: String!, $role: TenantRole!, $expiresAt: String) {
    createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {
      secret
      key {
        id
        name
        role
        prefix
      }
    }
  }
`);

/** Revokes a key: the next request with it is refused. */
export const revokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);
