import { graphql } from '../../../gql';

/** Every kind of the tenant's events, so sequence gaps mean missed events (README "Live events"). */
export const liveEventsSubscription = graphql(`
  subscription LiveEvents {
    events {
      seq
      kind
      at
      task {
        id
        description
        status
        statusReason
        owner
        routedBy
        businessValue
        purposeRelevance
        tokensPlan
        tokensActual
        dependsOnIds
        version
        artifact {
          id
          provider
          model
          offline
        }
      }
      budget {
        leftUsd
        reservedUsd
        spentUsd
        fundedUsd
        thresholdsCrossed
      }
      metrics {
        ready
        running
        blocked
        waitingForBudget
        criticalPathTasks
        criticalPathTokens
        progress
        queues {
          role
          waiting
          active
        }
      }
      plan {
        goalId
        phase
        reason
        taskCount
      }
    }
  }
`);

/** The state after a gap or a (re)connect; `seq` is read before the state. */
export const liveSnapshotQuery = graphql(`
  query LiveSnapshot {
    liveSnapshot {
      seq
      taskGraph {
        nodes {
          id
          description
          status
          statusReason
          owner
          businessValue
          purposeRelevance
          tokensPlan
          tokensActual
          dependsOnIds
          version
        }
      }
      budget {
        leftUsd
        reservedUsd
        spentUsd
        fundedUsd
        pricePer1kTokensUsd
        minimumLeftUsd
      }
    }
  }
`);
