import { graphql } from '../../../gql';

export const goalsQuery = graphql(`
  query Goals {
    goals(sort: [{ createdAt: DESC }], limit: 50) {
      ...GoalFields
    }
  }
`);

export const setGoalMutation = graphql(`
  mutation SetGoal($text: String!) {
    setGoal(text: $text) {
      id
      status
      text
    }
  }
`);
