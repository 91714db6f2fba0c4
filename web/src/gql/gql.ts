/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($name: String!, $role: TenantRole!, $expiresAt: String) {\n    createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {\n      secret\n      key {\n        id\n        name\n        role\n        prefix\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  fragment AutoReloadFields on AutoReload {\n    enabled\n    thresholdUsd\n    amountUsd\n    cardSaved\n    lastFailure\n  }\n": typeof types.AutoReloadFieldsFragmentDoc,
    "\n  query Billing {\n    billing {\n      topUpsConfigured\n      topUpMinUsd\n      topUpMaxUsd\n      topUps {\n        id\n        amountUsd\n        status\n        createdAt\n        paidAt\n      }\n      autoReload {\n        ...AutoReloadFields\n      }\n    }\n    budget {\n      leftUsd\n      reservedUsd\n      spentUsd\n      fundedUsd\n    }\n  }\n": typeof types.BillingDocument,
    "\n  mutation CreateTopUpCheckout($amountUsd: Float!) {\n    createTopUpCheckout(amountUsd: $amountUsd) {\n      sessionId\n      url\n      amountUsd\n    }\n  }\n": typeof types.CreateTopUpCheckoutDocument,
    "\n  mutation SetAutoReload($enabled: Boolean!, $thresholdUsd: Float!, $amountUsd: Float!) {\n    setAutoReload(enabled: $enabled, thresholdUsd: $thresholdUsd, amountUsd: $amountUsd) {\n      enabled\n      thresholdUsd\n      amountUsd\n      cardSaved\n      lastFailure\n    }\n  }\n": typeof types.SetAutoReloadDocument,
    "\n  query BillingUsage($from: DateTime!, $to: DateTime!) {\n    usage(from: $from, to: $to, groupBy: [DAY]) {\n      totalUsd\n      totalTokens\n      rows {\n        day\n        usd\n        tokens\n      }\n    }\n  }\n": typeof types.BillingUsageDocument,
    "\n  fragment AlertsFields on Inspection {\n    alerts {\n      kind\n      count\n    }\n  }\n": typeof types.AlertsFieldsFragmentDoc,
    "\n  fragment BudgetForecastFields on BudgetForecast {\n    costToFinishUsd\n    budgetLeftUsd\n    firstUnaffordableTaskId\n  }\n": typeof types.BudgetForecastFieldsFragmentDoc,
    "\n  fragment InspectionFigures on Inspection {\n    total\n    done\n    ready\n    running\n    blockedByFailure\n    waitingForBudget\n    criticalPathTasks\n    criticalPathTokens\n    progress\n  }\n": typeof types.InspectionFiguresFragmentDoc,
    "\n  query DashboardSummary {\n    budgetForecast {\n      ...BudgetForecastFields\n    }\n    inspection {\n      ...AlertsFields\n      ...InspectionFigures\n    }\n  }\n": typeof types.DashboardSummaryDocument,
    "\n  mutation TopUpBudget($amountUsd: Float!) {\n    topUpBudget(amountUsd: $amountUsd) {\n      leftUsd\n      fundedUsd\n    }\n  }\n": typeof types.TopUpBudgetDocument,
    "\n  mutation DispatchTask($id: ID!) {\n    dispatchTask(id: $id) {\n      taskId\n      queue\n    }\n  }\n": typeof types.DispatchTaskDocument,
    "\n  mutation DispatchReadyTasks {\n    dispatchReadyTasks {\n      dispatched {\n        taskId\n      }\n      skipped {\n        taskId\n        code\n      }\n    }\n  }\n": typeof types.DispatchReadyTasksDocument,
    "\n  fragment GoalFields on Goal {\n    id\n    text\n    status\n    statusReason\n    plannedBy\n    taskCount\n    createdAt\n  }\n": typeof types.GoalFieldsFragmentDoc,
    "\n  query Goals {\n    goals(sort: [{ createdAt: DESC }], limit: 50) {\n      ...GoalFields\n    }\n  }\n": typeof types.GoalsDocument,
    "\n  mutation SetGoal($text: String!) {\n    setGoal(text: $text) {\n      id\n      status\n      text\n    }\n  }\n": typeof types.SetGoalDocument,
    "\n  query PlanApproval($goalId: ID!) {\n    planApproval(goalId: $goalId) {\n      goalId\n      state\n      planHash\n      plannedCostUsd\n      taskCount\n      approvedBy\n      approvedAt\n    }\n  }\n": typeof types.PlanApprovalDocument,
    "\n  mutation ApprovePlan($goalId: ID!, $planHash: String!) {\n    approvePlan(goalId: $goalId, planHash: $planHash) {\n      goalId\n      state\n    }\n  }\n": typeof types.ApprovePlanDocument,
    "\n  mutation RejectPlan($goalId: ID!) {\n    rejectPlan(goalId: $goalId) {\n      goalId\n      state\n    }\n  }\n": typeof types.RejectPlanDocument,
    "\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    provider\n    model\n    offline\n    content\n    createdAt\n    tokensUsed\n  }\n": typeof types.ArtifactFieldsFragmentDoc,
    "\n  fragment TaskDetailsFields on Task {\n    id\n    routedBy\n    createdAt\n    startedAt\n    finishedAt\n    dispatchCount\n    dependsOn {\n      id\n      description\n      status\n    }\n    dependents {\n      id\n      description\n      status\n    }\n    artifacts(sort: [{ createdAt: DESC }]) {\n      ...ArtifactFields\n    }\n  }\n": typeof types.TaskDetailsFieldsFragmentDoc,
    "\n  query TaskDetails($id: ID!) {\n    tasks(where: { id: { eq: $id } }) {\n      ...TaskDetailsFields\n    }\n  }\n": typeof types.TaskDetailsDocument,
    "\n  subscription LiveEvents {\n    events {\n      seq\n      kind\n      at\n      task {\n        id\n        description\n        status\n        statusReason\n        owner\n        routedBy\n        businessValue\n        purposeRelevance\n        tokensPlan\n        tokensActual\n        dependsOnIds\n        version\n        artifact {\n          id\n          provider\n          model\n          offline\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        thresholdsCrossed\n      }\n      metrics {\n        ready\n        running\n        blocked\n        waitingForBudget\n        criticalPathTasks\n        criticalPathTokens\n        progress\n        queues {\n          role\n          waiting\n          active\n        }\n      }\n      plan {\n        goalId\n        phase\n        reason\n        taskCount\n      }\n    }\n  }\n": typeof types.LiveEventsDocument,
    "\n  query LiveSnapshot {\n    liveSnapshot {\n      seq\n      taskGraph {\n        nodes {\n          id\n          description\n          status\n          statusReason\n          owner\n          businessValue\n          purposeRelevance\n          tokensPlan\n          tokensActual\n          dependsOnIds\n          version\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        pricePer1kTokensUsd\n        minimumLeftUsd\n      }\n    }\n  }\n": typeof types.LiveSnapshotDocument,
    "\n  fragment WorkspaceMergeFields on WorkspaceMerge {\n    id\n    taskId\n    commit\n    previousMain\n    diff\n    diffTruncated\n    files\n    createdAt\n  }\n": typeof types.WorkspaceMergeFieldsFragmentDoc,
    "\n  fragment ReleaseFields on Release {\n    id\n    tag\n    commit\n    tarSha256\n    tarBytes\n    bundleSha256\n    bundleBytes\n    tarUrl\n    bundleUrl\n    createdAt\n  }\n": typeof types.ReleaseFieldsFragmentDoc,
    "\n  fragment TestRunFields on TestRun {\n    id\n    taskId\n    kind\n    commit\n    command\n    exitCode\n    signal\n    durationMs\n    passed\n    failed\n    output\n    truncated\n    limitHit\n    createdAt\n  }\n": typeof types.TestRunFieldsFragmentDoc,
    "\n  query Workspace($goalId: ID!) {\n    workspace(goalId: $goalId) {\n      id\n      goalId\n      mainCommit\n      createdAt\n      files\n      merges {\n        ...WorkspaceMergeFields\n      }\n      testRuns {\n        ...TestRunFields\n      }\n      release {\n        ...ReleaseFields\n      }\n    }\n  }\n": typeof types.WorkspaceDocument,
    "\n  query Workspaces {\n    workspaces {\n      id\n      goalId\n      mainCommit\n      createdAt\n      release {\n        id\n        tag\n      }\n    }\n  }\n": typeof types.WorkspacesDocument,
    "\n  query WorkspaceFile($goalId: ID!, $path: String!) {\n    workspace(goalId: $goalId) {\n      id\n      file(path: $path) {\n        path\n        content\n        truncated\n      }\n    }\n  }\n": typeof types.WorkspaceFileDocument,
    "\n  subscription WorkspaceEvents {\n    events(kinds: [workspace]) {\n      seq\n      kind\n      at\n      workspace {\n        goalId\n        taskId\n        what\n        summary\n      }\n    }\n  }\n": typeof types.WorkspaceEventsDocument,
    "\n  query Me {\n    me {\n      authMode\n      tenantId\n      role\n      platformAdmin\n      via\n      expiresAt\n    }\n  }\n": typeof types.MeDocument,
};
const documents: Documents = {
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($name: String!, $role: TenantRole!, $expiresAt: String) {\n    createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {\n      secret\n      key {\n        id\n        name\n        role\n        prefix\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  fragment AutoReloadFields on AutoReload {\n    enabled\n    thresholdUsd\n    amountUsd\n    cardSaved\n    lastFailure\n  }\n": types.AutoReloadFieldsFragmentDoc,
    "\n  query Billing {\n    billing {\n      topUpsConfigured\n      topUpMinUsd\n      topUpMaxUsd\n      topUps {\n        id\n        amountUsd\n        status\n        createdAt\n        paidAt\n      }\n      autoReload {\n        ...AutoReloadFields\n      }\n    }\n    budget {\n      leftUsd\n      reservedUsd\n      spentUsd\n      fundedUsd\n    }\n  }\n": types.BillingDocument,
    "\n  mutation CreateTopUpCheckout($amountUsd: Float!) {\n    createTopUpCheckout(amountUsd: $amountUsd) {\n      sessionId\n      url\n      amountUsd\n    }\n  }\n": types.CreateTopUpCheckoutDocument,
    "\n  mutation SetAutoReload($enabled: Boolean!, $thresholdUsd: Float!, $amountUsd: Float!) {\n    setAutoReload(enabled: $enabled, thresholdUsd: $thresholdUsd, amountUsd: $amountUsd) {\n      enabled\n      thresholdUsd\n      amountUsd\n      cardSaved\n      lastFailure\n    }\n  }\n": types.SetAutoReloadDocument,
    "\n  query BillingUsage($from: DateTime!, $to: DateTime!) {\n    usage(from: $from, to: $to, groupBy: [DAY]) {\n      totalUsd\n      totalTokens\n      rows {\n        day\n        usd\n        tokens\n      }\n    }\n  }\n": types.BillingUsageDocument,
    "\n  fragment AlertsFields on Inspection {\n    alerts {\n      kind\n      count\n    }\n  }\n": types.AlertsFieldsFragmentDoc,
    "\n  fragment BudgetForecastFields on BudgetForecast {\n    costToFinishUsd\n    budgetLeftUsd\n    firstUnaffordableTaskId\n  }\n": types.BudgetForecastFieldsFragmentDoc,
    "\n  fragment InspectionFigures on Inspection {\n    total\n    done\n    ready\n    running\n    blockedByFailure\n    waitingForBudget\n    criticalPathTasks\n    criticalPathTokens\n    progress\n  }\n": types.InspectionFiguresFragmentDoc,
    "\n  query DashboardSummary {\n    budgetForecast {\n      ...BudgetForecastFields\n    }\n    inspection {\n      ...AlertsFields\n      ...InspectionFigures\n    }\n  }\n": types.DashboardSummaryDocument,
    "\n  mutation TopUpBudget($amountUsd: Float!) {\n    topUpBudget(amountUsd: $amountUsd) {\n      leftUsd\n      fundedUsd\n    }\n  }\n": types.TopUpBudgetDocument,
    "\n  mutation DispatchTask($id: ID!) {\n    dispatchTask(id: $id) {\n      taskId\n      queue\n    }\n  }\n": types.DispatchTaskDocument,
    "\n  mutation DispatchReadyTasks {\n    dispatchReadyTasks {\n      dispatched {\n        taskId\n      }\n      skipped {\n        taskId\n        code\n      }\n    }\n  }\n": types.DispatchReadyTasksDocument,
    "\n  fragment GoalFields on Goal {\n    id\n    text\n    status\n    statusReason\n    plannedBy\n    taskCount\n    createdAt\n  }\n": types.GoalFieldsFragmentDoc,
    "\n  query Goals {\n    goals(sort: [{ createdAt: DESC }], limit: 50) {\n      ...GoalFields\n    }\n  }\n": types.GoalsDocument,
    "\n  mutation SetGoal($text: String!) {\n    setGoal(text: $text) {\n      id\n      status\n      text\n    }\n  }\n": types.SetGoalDocument,
    "\n  query PlanApproval($goalId: ID!) {\n    planApproval(goalId: $goalId) {\n      goalId\n      state\n      planHash\n      plannedCostUsd\n      taskCount\n      approvedBy\n      approvedAt\n    }\n  }\n": types.PlanApprovalDocument,
    "\n  mutation ApprovePlan($goalId: ID!, $planHash: String!) {\n    approvePlan(goalId: $goalId, planHash: $planHash) {\n      goalId\n      state\n    }\n  }\n": types.ApprovePlanDocument,
    "\n  mutation RejectPlan($goalId: ID!) {\n    rejectPlan(goalId: $goalId) {\n      goalId\n      state\n    }\n  }\n": types.RejectPlanDocument,
    "\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    provider\n    model\n    offline\n    content\n    createdAt\n    tokensUsed\n  }\n": types.ArtifactFieldsFragmentDoc,
    "\n  fragment TaskDetailsFields on Task {\n    id\n    routedBy\n    createdAt\n    startedAt\n    finishedAt\n    dispatchCount\n    dependsOn {\n      id\n      description\n      status\n    }\n    dependents {\n      id\n      description\n      status\n    }\n    artifacts(sort: [{ createdAt: DESC }]) {\n      ...ArtifactFields\n    }\n  }\n": types.TaskDetailsFieldsFragmentDoc,
    "\n  query TaskDetails($id: ID!) {\n    tasks(where: { id: { eq: $id } }) {\n      ...TaskDetailsFields\n    }\n  }\n": types.TaskDetailsDocument,
    "\n  subscription LiveEvents {\n    events {\n      seq\n      kind\n      at\n      task {\n        id\n        description\n        status\n        statusReason\n        owner\n        routedBy\n        businessValue\n        purposeRelevance\n        tokensPlan\n        tokensActual\n        dependsOnIds\n        version\n        artifact {\n          id\n          provider\n          model\n          offline\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        thresholdsCrossed\n      }\n      metrics {\n        ready\n        running\n        blocked\n        waitingForBudget\n        criticalPathTasks\n        criticalPathTokens\n        progress\n        queues {\n          role\n          waiting\n          active\n        }\n      }\n      plan {\n        goalId\n        phase\n        reason\n        taskCount\n      }\n    }\n  }\n": types.LiveEventsDocument,
    "\n  query LiveSnapshot {\n    liveSnapshot {\n      seq\n      taskGraph {\n        nodes {\n          id\n          description\n          status\n          statusReason\n          owner\n          businessValue\n          purposeRelevance\n          tokensPlan\n          tokensActual\n          dependsOnIds\n          version\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        pricePer1kTokensUsd\n        minimumLeftUsd\n      }\n    }\n  }\n": types.LiveSnapshotDocument,
    "\n  fragment WorkspaceMergeFields on WorkspaceMerge {\n    id\n    taskId\n    commit\n    previousMain\n    diff\n    diffTruncated\n    files\n    createdAt\n  }\n": types.WorkspaceMergeFieldsFragmentDoc,
    "\n  fragment ReleaseFields on Release {\n    id\n    tag\n    commit\n    tarSha256\n    tarBytes\n    bundleSha256\n    bundleBytes\n    tarUrl\n    bundleUrl\n    createdAt\n  }\n": types.ReleaseFieldsFragmentDoc,
    "\n  fragment TestRunFields on TestRun {\n    id\n    taskId\n    kind\n    commit\n    command\n    exitCode\n    signal\n    durationMs\n    passed\n    failed\n    output\n    truncated\n    limitHit\n    createdAt\n  }\n": types.TestRunFieldsFragmentDoc,
    "\n  query Workspace($goalId: ID!) {\n    workspace(goalId: $goalId) {\n      id\n      goalId\n      mainCommit\n      createdAt\n      files\n      merges {\n        ...WorkspaceMergeFields\n      }\n      testRuns {\n        ...TestRunFields\n      }\n      release {\n        ...ReleaseFields\n      }\n    }\n  }\n": types.WorkspaceDocument,
    "\n  query Workspaces {\n    workspaces {\n      id\n      goalId\n      mainCommit\n      createdAt\n      release {\n        id\n        tag\n      }\n    }\n  }\n": types.WorkspacesDocument,
    "\n  query WorkspaceFile($goalId: ID!, $path: String!) {\n    workspace(goalId: $goalId) {\n      id\n      file(path: $path) {\n        path\n        content\n        truncated\n      }\n    }\n  }\n": types.WorkspaceFileDocument,
    "\n  subscription WorkspaceEvents {\n    events(kinds: [workspace]) {\n      seq\n      kind\n      at\n      workspace {\n        goalId\n        taskId\n        what\n        summary\n      }\n    }\n  }\n": types.WorkspaceEventsDocument,
    "\n  query Me {\n    me {\n      authMode\n      tenantId\n      role\n      platformAdmin\n      via\n      expiresAt\n    }\n  }\n": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($name: String!, $role: TenantRole!, $expiresAt: String) {\n    createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {\n      secret\n      key {\n        id\n        name\n        role\n        prefix\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($name: String!, $role: TenantRole!, $expiresAt: String) {\n    createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {\n      secret\n      key {\n        id\n        name\n        role\n        prefix\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AutoReloadFields on AutoReload {\n    enabled\n    thresholdUsd\n    amountUsd\n    cardSaved\n    lastFailure\n  }\n"): (typeof documents)["\n  fragment AutoReloadFields on AutoReload {\n    enabled\n    thresholdUsd\n    amountUsd\n    cardSaved\n    lastFailure\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Billing {\n    billing {\n      topUpsConfigured\n      topUpMinUsd\n      topUpMaxUsd\n      topUps {\n        id\n        amountUsd\n        status\n        createdAt\n        paidAt\n      }\n      autoReload {\n        ...AutoReloadFields\n      }\n    }\n    budget {\n      leftUsd\n      reservedUsd\n      spentUsd\n      fundedUsd\n    }\n  }\n"): (typeof documents)["\n  query Billing {\n    billing {\n      topUpsConfigured\n      topUpMinUsd\n      topUpMaxUsd\n      topUps {\n        id\n        amountUsd\n        status\n        createdAt\n        paidAt\n      }\n      autoReload {\n        ...AutoReloadFields\n      }\n    }\n    budget {\n      leftUsd\n      reservedUsd\n      spentUsd\n      fundedUsd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTopUpCheckout($amountUsd: Float!) {\n    createTopUpCheckout(amountUsd: $amountUsd) {\n      sessionId\n      url\n      amountUsd\n    }\n  }\n"): (typeof documents)["\n  mutation CreateTopUpCheckout($amountUsd: Float!) {\n    createTopUpCheckout(amountUsd: $amountUsd) {\n      sessionId\n      url\n      amountUsd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAutoReload($enabled: Boolean!, $thresholdUsd: Float!, $amountUsd: Float!) {\n    setAutoReload(enabled: $enabled, thresholdUsd: $thresholdUsd, amountUsd: $amountUsd) {\n      enabled\n      thresholdUsd\n      amountUsd\n      cardSaved\n      lastFailure\n    }\n  }\n"): (typeof documents)["\n  mutation SetAutoReload($enabled: Boolean!, $thresholdUsd: Float!, $amountUsd: Float!) {\n    setAutoReload(enabled: $enabled, thresholdUsd: $thresholdUsd, amountUsd: $amountUsd) {\n      enabled\n      thresholdUsd\n      amountUsd\n      cardSaved\n      lastFailure\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingUsage($from: DateTime!, $to: DateTime!) {\n    usage(from: $from, to: $to, groupBy: [DAY]) {\n      totalUsd\n      totalTokens\n      rows {\n        day\n        usd\n        tokens\n      }\n    }\n  }\n"): (typeof documents)["\n  query BillingUsage($from: DateTime!, $to: DateTime!) {\n    usage(from: $from, to: $to, groupBy: [DAY]) {\n      totalUsd\n      totalTokens\n      rows {\n        day\n        usd\n        tokens\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertsFields on Inspection {\n    alerts {\n      kind\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment AlertsFields on Inspection {\n    alerts {\n      kind\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BudgetForecastFields on BudgetForecast {\n    costToFinishUsd\n    budgetLeftUsd\n    firstUnaffordableTaskId\n  }\n"): (typeof documents)["\n  fragment BudgetForecastFields on BudgetForecast {\n    costToFinishUsd\n    budgetLeftUsd\n    firstUnaffordableTaskId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InspectionFigures on Inspection {\n    total\n    done\n    ready\n    running\n    blockedByFailure\n    waitingForBudget\n    criticalPathTasks\n    criticalPathTokens\n    progress\n  }\n"): (typeof documents)["\n  fragment InspectionFigures on Inspection {\n    total\n    done\n    ready\n    running\n    blockedByFailure\n    waitingForBudget\n    criticalPathTasks\n    criticalPathTokens\n    progress\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardSummary {\n    budgetForecast {\n      ...BudgetForecastFields\n    }\n    inspection {\n      ...AlertsFields\n      ...InspectionFigures\n    }\n  }\n"): (typeof documents)["\n  query DashboardSummary {\n    budgetForecast {\n      ...BudgetForecastFields\n    }\n    inspection {\n      ...AlertsFields\n      ...InspectionFigures\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TopUpBudget($amountUsd: Float!) {\n    topUpBudget(amountUsd: $amountUsd) {\n      leftUsd\n      fundedUsd\n    }\n  }\n"): (typeof documents)["\n  mutation TopUpBudget($amountUsd: Float!) {\n    topUpBudget(amountUsd: $amountUsd) {\n      leftUsd\n      fundedUsd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DispatchTask($id: ID!) {\n    dispatchTask(id: $id) {\n      taskId\n      queue\n    }\n  }\n"): (typeof documents)["\n  mutation DispatchTask($id: ID!) {\n    dispatchTask(id: $id) {\n      taskId\n      queue\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DispatchReadyTasks {\n    dispatchReadyTasks {\n      dispatched {\n        taskId\n      }\n      skipped {\n        taskId\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DispatchReadyTasks {\n    dispatchReadyTasks {\n      dispatched {\n        taskId\n      }\n      skipped {\n        taskId\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GoalFields on Goal {\n    id\n    text\n    status\n    statusReason\n    plannedBy\n    taskCount\n    createdAt\n  }\n"): (typeof documents)["\n  fragment GoalFields on Goal {\n    id\n    text\n    status\n    statusReason\n    plannedBy\n    taskCount\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Goals {\n    goals(sort: [{ createdAt: DESC }], limit: 50) {\n      ...GoalFields\n    }\n  }\n"): (typeof documents)["\n  query Goals {\n    goals(sort: [{ createdAt: DESC }], limit: 50) {\n      ...GoalFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetGoal($text: String!) {\n    setGoal(text: $text) {\n      id\n      status\n      text\n    }\n  }\n"): (typeof documents)["\n  mutation SetGoal($text: String!) {\n    setGoal(text: $text) {\n      id\n      status\n      text\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlanApproval($goalId: ID!) {\n    planApproval(goalId: $goalId) {\n      goalId\n      state\n      planHash\n      plannedCostUsd\n      taskCount\n      approvedBy\n      approvedAt\n    }\n  }\n"): (typeof documents)["\n  query PlanApproval($goalId: ID!) {\n    planApproval(goalId: $goalId) {\n      goalId\n      state\n      planHash\n      plannedCostUsd\n      taskCount\n      approvedBy\n      approvedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApprovePlan($goalId: ID!, $planHash: String!) {\n    approvePlan(goalId: $goalId, planHash: $planHash) {\n      goalId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ApprovePlan($goalId: ID!, $planHash: String!) {\n    approvePlan(goalId: $goalId, planHash: $planHash) {\n      goalId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectPlan($goalId: ID!) {\n    rejectPlan(goalId: $goalId) {\n      goalId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation RejectPlan($goalId: ID!) {\n    rejectPlan(goalId: $goalId) {\n      goalId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    provider\n    model\n    offline\n    content\n    createdAt\n    tokensUsed\n  }\n"): (typeof documents)["\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    provider\n    model\n    offline\n    content\n    createdAt\n    tokensUsed\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TaskDetailsFields on Task {\n    id\n    routedBy\n    createdAt\n    startedAt\n    finishedAt\n    dispatchCount\n    dependsOn {\n      id\n      description\n      status\n    }\n    dependents {\n      id\n      description\n      status\n    }\n    artifacts(sort: [{ createdAt: DESC }]) {\n      ...ArtifactFields\n    }\n  }\n"): (typeof documents)["\n  fragment TaskDetailsFields on Task {\n    id\n    routedBy\n    createdAt\n    startedAt\n    finishedAt\n    dispatchCount\n    dependsOn {\n      id\n      description\n      status\n    }\n    dependents {\n      id\n      description\n      status\n    }\n    artifacts(sort: [{ createdAt: DESC }]) {\n      ...ArtifactFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TaskDetails($id: ID!) {\n    tasks(where: { id: { eq: $id } }) {\n      ...TaskDetailsFields\n    }\n  }\n"): (typeof documents)["\n  query TaskDetails($id: ID!) {\n    tasks(where: { id: { eq: $id } }) {\n      ...TaskDetailsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveEvents {\n    events {\n      seq\n      kind\n      at\n      task {\n        id\n        description\n        status\n        statusReason\n        owner\n        routedBy\n        businessValue\n        purposeRelevance\n        tokensPlan\n        tokensActual\n        dependsOnIds\n        version\n        artifact {\n          id\n          provider\n          model\n          offline\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        thresholdsCrossed\n      }\n      metrics {\n        ready\n        running\n        blocked\n        waitingForBudget\n        criticalPathTasks\n        criticalPathTokens\n        progress\n        queues {\n          role\n          waiting\n          active\n        }\n      }\n      plan {\n        goalId\n        phase\n        reason\n        taskCount\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveEvents {\n    events {\n      seq\n      kind\n      at\n      task {\n        id\n        description\n        status\n        statusReason\n        owner\n        routedBy\n        businessValue\n        purposeRelevance\n        tokensPlan\n        tokensActual\n        dependsOnIds\n        version\n        artifact {\n          id\n          provider\n          model\n          offline\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        thresholdsCrossed\n      }\n      metrics {\n        ready\n        running\n        blocked\n        waitingForBudget\n        criticalPathTasks\n        criticalPathTokens\n        progress\n        queues {\n          role\n          waiting\n          active\n        }\n      }\n      plan {\n        goalId\n        phase\n        reason\n        taskCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveSnapshot {\n    liveSnapshot {\n      seq\n      taskGraph {\n        nodes {\n          id\n          description\n          status\n          statusReason\n          owner\n          businessValue\n          purposeRelevance\n          tokensPlan\n          tokensActual\n          dependsOnIds\n          version\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        pricePer1kTokensUsd\n        minimumLeftUsd\n      }\n    }\n  }\n"): (typeof documents)["\n  query LiveSnapshot {\n    liveSnapshot {\n      seq\n      taskGraph {\n        nodes {\n          id\n          description\n          status\n          statusReason\n          owner\n          businessValue\n          purposeRelevance\n          tokensPlan\n          tokensActual\n          dependsOnIds\n          version\n        }\n      }\n      budget {\n        leftUsd\n        reservedUsd\n        spentUsd\n        fundedUsd\n        pricePer1kTokensUsd\n        minimumLeftUsd\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkspaceMergeFields on WorkspaceMerge {\n    id\n    taskId\n    commit\n    previousMain\n    diff\n    diffTruncated\n    files\n    createdAt\n  }\n"): (typeof documents)["\n  fragment WorkspaceMergeFields on WorkspaceMerge {\n    id\n    taskId\n    commit\n    previousMain\n    diff\n    diffTruncated\n    files\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReleaseFields on Release {\n    id\n    tag\n    commit\n    tarSha256\n    tarBytes\n    bundleSha256\n    bundleBytes\n    tarUrl\n    bundleUrl\n    createdAt\n  }\n"): (typeof documents)["\n  fragment ReleaseFields on Release {\n    id\n    tag\n    commit\n    tarSha256\n    tarBytes\n    bundleSha256\n    bundleBytes\n    tarUrl\n    bundleUrl\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TestRunFields on TestRun {\n    id\n    taskId\n    kind\n    commit\n    command\n    exitCode\n    signal\n    durationMs\n    passed\n    failed\n    output\n    truncated\n    limitHit\n    createdAt\n  }\n"): (typeof documents)["\n  fragment TestRunFields on TestRun {\n    id\n    taskId\n    kind\n    commit\n    command\n    exitCode\n    signal\n    durationMs\n    passed\n    failed\n    output\n    truncated\n    limitHit\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workspace($goalId: ID!) {\n    workspace(goalId: $goalId) {\n      id\n      goalId\n      mainCommit\n      createdAt\n      files\n      merges {\n        ...WorkspaceMergeFields\n      }\n      testRuns {\n        ...TestRunFields\n      }\n      release {\n        ...ReleaseFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Workspace($goalId: ID!) {\n    workspace(goalId: $goalId) {\n      id\n      goalId\n      mainCommit\n      createdAt\n      files\n      merges {\n        ...WorkspaceMergeFields\n      }\n      testRuns {\n        ...TestRunFields\n      }\n      release {\n        ...ReleaseFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workspaces {\n    workspaces {\n      id\n      goalId\n      mainCommit\n      createdAt\n      release {\n        id\n        tag\n      }\n    }\n  }\n"): (typeof documents)["\n  query Workspaces {\n    workspaces {\n      id\n      goalId\n      mainCommit\n      createdAt\n      release {\n        id\n        tag\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceFile($goalId: ID!, $path: String!) {\n    workspace(goalId: $goalId) {\n      id\n      file(path: $path) {\n        path\n        content\n        truncated\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceFile($goalId: ID!, $path: String!) {\n    workspace(goalId: $goalId) {\n      id\n      file(path: $path) {\n        path\n        content\n        truncated\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkspaceEvents {\n    events(kinds: [workspace]) {\n      seq\n      kind\n      at\n      workspace {\n        goalId\n        taskId\n        what\n        summary\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WorkspaceEvents {\n    events(kinds: [workspace]) {\n      seq\n      kind\n      at\n      workspace {\n        goalId\n        taskId\n        what\n        summary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      authMode\n      tenantId\n      role\n      platformAdmin\n      via\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      authMode\n      tenantId\n      role\n      platformAdmin\n      via\n      expiresAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;