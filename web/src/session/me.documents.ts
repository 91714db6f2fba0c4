import { graphql } from '../gql';

/** Who the API says the caller is; decides what the page shows. */
export const meQuery = graphql(`
  query Me {
    me {
      authMode
      tenantId
      role
      platformAdmin
      via
      expiresAt
    }
  }
`);
