import { graphql } from '../../../gql';

/** Reserves one task's planned tokens and queues it for its role (members and owners). */
export const dispatchTaskMutation = graphql(`
  mutation DispatchTask($id: ID!) {
    dispatchTask(id: $id) {
      taskId
      queue
    }
  }
`);

/** Dispatches every task whose dependencies are done, most valuable first (members and owners). */
export const dispatchReadyTasksMutation = graphql(`
  mutation DispatchReadyTasks {
    dispatchReadyTasks {
      dispatched {
        taskId
      }
      skipped {
        taskId
        code
      }
    }
  }
`);
