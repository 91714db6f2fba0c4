import type { TaskGraph, TaskRecord } from '@ai-org/schema';

/** The seed's REST API speaks snake_case; these keep its users' scripts working. */
export const toRestTask = (task: TaskRecord) => ({
  id: task.id,
  tenant_id: task.tenantId,
  description: task.description,
  status: task.status,
  owner: task.owner,
  business_value: task.businessValue,
  tokens_plan: task.tokensPlan,
  tokens_actual: task.tokensActual,
  purpose_relevance: task.purposeRelevance,
  depends_on: task.dependsOn,
  created_at: task.createdAt,
});

export const toRestGraph = (graph: TaskGraph) => ({
  nodes: graph.nodes.map(toRestTask),
  edges: graph.edges.map((edge) => ({ from: edge.from, to: edge.to })),
});

/** POST /task body (snake_case) → the shared task input (camelCase). Unknown fields are ignored. */
export const fromRestTaskBody = (body: unknown): Record<string, unknown> => {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const input: Record<string, unknown> = {
    description: b.description,
    businessValue: b.business_value,
    tokensPlan: b.tokens_plan,
    purposeRelevance: b.purpose_relevance,
    owner: b.owner,
    status: b.status,
    dependsOn: b.depends_on,
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null));
};
