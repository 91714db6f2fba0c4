/** A goal's git repository, as Neo4j records it (the files live on disk, under WORKSPACE_ROOT). */
export interface WorkspaceRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly goalId: string;
  /** main's commit after the last merge (null until something was merged). */
  readonly mainCommit: string | null;
  readonly createdAt: string;
}

/** One tool call a model asked for, as stored (arguments as the model wrote them). */
export interface StoredToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface StoredToolResult {
  readonly toolCallId: string;
  readonly content: string;
}

/**
 * A checkpoint of an agent's loop: a model step (its answer, tokens, and — once executed — its tools'
 * results and the commit they made), or a gate round (the message the agent was given after failing
 * tests or a conflict). A resumed job rebuilds its conversation from these and pays no step twice.
 */
export interface AgentStepRecord {
  readonly dispatchId: string;
  readonly n: number;
  readonly kind: 'model' | 'gate';
  readonly text: string | null;
  readonly toolCalls: readonly StoredToolCall[];
  /** Null until the step's tools ran. */
  readonly results: readonly StoredToolResult[] | null;
  readonly commit: string | null;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** As the model said ('tool_calls', 'stop', 'length' …); 'gate' for a gate round. */
  readonly finishReason: string;
  readonly provider: string;
  readonly model: string;
  readonly createdAt: string;
}

export type TestRunKind = 'agent' | 'gate' | 'release';

export interface TestRunRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly goalId: string;
  readonly taskId: string | null;
  readonly kind: TestRunKind;
  readonly commit: string | null;
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  readonly passed: number | null;
  readonly failed: number | null;
  /** Bounded stdout then stderr. */
  readonly output: string;
  readonly truncated: boolean;
  /** The sandbox limit that stopped the command, if one did. */
  readonly limitHit: string | null;
  readonly createdAt: string;
}

export interface MergeRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly goalId: string;
  readonly taskId: string;
  readonly commit: string;
  readonly previousMain: string;
  /** The unified diff the merge brought to main (bounded). */
  readonly diff: string;
  readonly diffTruncated: boolean;
  readonly files: readonly string[];
  readonly createdAt: string;
}

export interface ReleaseRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly goalId: string;
  readonly workspaceId: string;
  readonly tag: string;
  readonly commit: string;
  readonly tarSha256: string;
  readonly tarBytes: number;
  readonly bundleSha256: string;
  readonly bundleBytes: number;
  readonly createdAt: string;
}
