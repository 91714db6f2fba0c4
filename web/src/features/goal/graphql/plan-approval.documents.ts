import { graphql } from '../../../gql';

export const planApprovalQuery = graphql(`
  query PlanApproval($goalId: ID!) {
    planApproval(goalId: $goalId) {
      goalId
      state
      planHash
      plannedCostUsd
      taskCount
      approvedBy
      approvedAt
    }
  }
`);

export const approvePlanMutation = graphql(`
  mutation ApprovePlan($goalId: ID!, $planHash: String!) {
    approvePlan(goalId: $goalId, planHash: $planHash) {
      goalId
      state
    }
  }
`);

export const rejectPlanMutation = graphql(`
  mutation RejectPlan($goalId: ID!) {
    rejectPlan(goalId: $goalId) {
      goalId
      state
    }
  }
`);
