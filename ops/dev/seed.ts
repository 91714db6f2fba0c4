import { demoPlan, type TaskService } from '@ai-org/schema';

/** Creates the demo DAG for `tenantId` unless the tenant already has tasks (so a rerun changes nothing). */
export const seedDemo = async (tasks: TaskService, tenantId: string): Promise<'seeded' | 'already-seeded'> => {
  const created = await tasks.createPlan(tenantId, demoPlan, { onlyIfEmpty: true });
  return created ? 'seeded' : 'already-seeded';
};
