import { graphql } from '../../../gql';

/** One goal's workspace: main's files, merges, test runs and release (fragments beside their components). */
export const workspaceQuery = graphql(`
  query Workspace($goalId: ID!) {
    workspace(goalId: $goalId) {
      id
      goalId
      mainCommit
      createdAt
      files
      merges {
        ...WorkspaceMergeFields
      }
      testRuns {
        ...TestRunFields
      }
      release {
        ...ReleaseFields
      }
    }
  }
`);

/** The tenant's workspaces, newest first, for the list page. */
export const workspacesQuery = graphql(`
  query Workspaces {
    workspaces {
      id
      goalId
      mainCommit
      createdAt
      release {
        id
        tag
      }
    }
  }
`);

/** One text file of main, loaded when it is opened in the tree. */
export const workspaceFileQuery = graphql(`
  query WorkspaceFile($goalId: ID!, $path: String!) {
    workspace(goalId: $goalId) {
      id
      file(path: $path) {
        path
        content
        truncated
      }
    }
  }
`);

/** Only the `workspace` events (sequence gaps are expected: the page refetches the workspace instead). */
export const workspaceEventsSubscription = graphql(`
  subscription WorkspaceEvents {
    events(kinds: [workspace]) {
      seq
      kind
      at
      workspace {
        goalId
        taskId
        what
        summary
      }
    }
  }
`);
