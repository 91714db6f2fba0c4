import type { LiveEventsSubscription, LiveSnapshotQuery } from '../../gql/graphql';

export type LiveEvent = LiveEventsSubscription['events'];
export type LiveSnapshot = LiveSnapshotQuery['liveSnapshot'];
export type LiveMetrics = NonNullable<LiveEvent['metrics']>;

/** A task as the client knows it: from the snapshot's graph, then replaced by each `task` event. */
export interface LiveTask {
  readonly id: string;
  readonly description: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly owner: string | null;
  readonly routedBy: string | null;
  readonly businessValue: number;
  readonly purposeRelevance: number;
  readonly tokensPlan: number;
  readonly tokensActual: number;
  readonly dependsOnIds: readonly string[];
  /** The task's change count: an older snapshot of it (lower version) never replaces a newer one. */
  readonly version: number;
}

export interface LiveBudget {
  readonly leftUsd: number;
  readonly reservedUsd: number;
  readonly spentUsd: number;
  readonly fundedUsd: number;
  /** Only the snapshot carries these; events keep the last known values. */
  readonly pricePer1kTokensUsd: number | null;
  readonly minimumLeftUsd: number | null;
}

export interface PlanProgress {
  readonly seq: number;
  readonly at: string;
  readonly goalId: string;
  readonly phase: string;
  readonly reason: string | null;
  readonly taskCount: number | null;
}

export interface ThresholdCrossing {
  readonly seq: number;
  readonly at: string;
  readonly threshold: number;
}

/** What the graph is laid out from: changes identity only when nodes, edges or node sizes change. */
export interface GraphStructure {
  readonly nodes: readonly { readonly id: string; readonly businessValue: number }[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

export interface LiveState {
  /** Whether a snapshot has been applied; before that the store has nothing to show. */
  readonly loaded: boolean;
  readonly tasks: ReadonlyMap<string, LiveTask>;
  readonly structure: GraphStructure;
  readonly budget: LiveBudget | null;
  readonly metrics: LiveMetrics | null;
  /** Newest first, at most `keepRecent`. */
  readonly plans: readonly PlanProgress[];
  readonly crossings: readonly ThresholdCrossing[];
}

const keepRecent = 50;

export const emptyLiveState: LiveState = {
  loaded: false,
  tasks: new Map(),
  structure: { nodes: [], edges: [] },
  budget: null,
  metrics: null,
  plans: [],
  crossings: [],
};

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** `from` waits for `to` (README: `addDependency(taskId, dependsOnId)`); dangling ids are left out. */
export const structureOf = (tasks: ReadonlyMap<string, LiveTask>): GraphStructure => {
  const sorted = [...tasks.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    nodes: sorted.map(({ id, businessValue }) => ({ id, businessValue })),
    edges: sorted.flatMap((task) =>
      [...task.dependsOnIds]
        .sort()
        .filter((to) => tasks.has(to))
        .map((to) => ({ from: task.id, to })),
    ),
  };
};

const sameStructure = (a: GraphStructure, b: GraphStructure) =>
  a.nodes.length === b.nodes.length &&
  a.edges.length === b.edges.length &&
  a.nodes.every((n, i) => n.id === b.nodes[i]?.id && n.businessValue === b.nodes[i]?.businessValue) &&
  a.edges.every((e, i) => e.from === b.edges[i]?.from && e.to === b.edges[i]?.to);

/** Replaces everything the snapshot covers (tasks, budget); metrics and plan history stay. */
export const applySnapshot = (state: LiveState, snapshot: LiveSnapshot): LiveState => {
  const tasks = new Map<string, LiveTask>(
    snapshot.taskGraph.nodes.map((node) => [
      node.id,
      { ...node, routedBy: state.tasks.get(node.id)?.routedBy ?? null },
    ]),
  );
  const structure = structureOf(tasks);
  return {
    ...state,
    loaded: true,
    tasks,
    structure: sameStructure(structure, state.structure) ? state.structure : structure,
    budget: { ...snapshot.budget },
  };
};

/**
 * Replaces the task with the event's snapshot of it, unless the client holds a newer one: events are
 * sequenced in the order they were published, which may differ from the order of the writes.
 */
const applyTask = (state: LiveState, task: NonNullable<LiveEvent['task']>): LiveState => {
  const { artifact: _artifact, ...fields } = task;
  const previous = state.tasks.get(task.id);
  if (previous && previous.version > task.version) return state;
  const tasks = new Map(state.tasks).set(task.id, fields);
  const reshaped =
    !previous ||
    previous.businessValue !== task.businessValue ||
    !sameIds([...previous.dependsOnIds].sort(), [...task.dependsOnIds].sort());
  return { ...state, tasks, structure: reshaped ? structureOf(tasks) : state.structure };
};

/**
 * Applies one event; payloads are whole snapshots, so applying one twice is harmless, and a task's
 * snapshot older than the one held is ignored.
 */
export const applyEvent = (state: LiveState, event: LiveEvent): LiveState => {
  switch (event.kind) {
    case 'task':
      return event.task ? applyTask(state, event.task) : state;
    case 'budget': {
      if (!event.budget) return state;
      const { thresholdsCrossed, ...balance } = event.budget;
      const crossings = thresholdsCrossed.map((threshold) => ({ seq: event.seq, at: event.at, threshold }));
      return {
        ...state,
        budget: {
          ...balance,
          pricePer1kTokensUsd: state.budget?.pricePer1kTokensUsd ?? null,
          minimumLeftUsd: state.budget?.minimumLeftUsd ?? null,
        },
        crossings: crossings.length ? [...crossings, ...state.crossings].slice(0, keepRecent) : state.crossings,
      };
    }
    case 'metrics':
      return event.metrics ? { ...state, metrics: event.metrics } : state;
    case 'plan':
      return event.plan
        ? { ...state, plans: [{ seq: event.seq, at: event.at, ...event.plan }, ...state.plans].slice(0, keepRecent) }
        : state;
    case 'workspace':
      // The Workspace view follows these itself (its goal's steps, test runs, merges, release).
      return state;
    default: {
      const unknownKind: never = event.kind;
      return unknownKind;
    }
  }
};
