import type { ProbeValues } from './battery';
import type { MissingIds, TenantWorld } from './fixture';

/** A tenant's ids and texts, as a probe. */
export const probesOf = (world: TenantWorld): ProbeValues => ({
  tenantId: world.tenantId,
  taskId: world.tasks.root,
  taskDescription: world.rootDescription,
  artifactId: world.artifactId,
  artifactContent: world.artifactContent,
  goalId: world.goalId,
  goalText: world.goalText,
});

/** Unused ids and texts of the same shapes. */
export const missingProbes = (missing: MissingIds): ProbeValues => ({
  tenantId: missing.tenantId,
  taskId: missing.taskId,
  taskDescription: missing.text,
  artifactId: missing.artifactId,
  artifactContent: missing.text,
  goalId: missing.goalId,
  goalText: missing.text,
});
