import { graphql } from '../../../gql';

/** The generated read of one task, for what events do not carry: routing, neighbours, artifacts. */
export const taskDetailsQuery = graphql(`
  query TaskDetails($id: ID!) {
    tasks(where: { id: { eq: $id } }) {
      ...TaskDetailsFields
    }
  }
`);
