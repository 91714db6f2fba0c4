import { noEvents, type TaskChange, type TenantEventBody, type TenantEventSink } from '@ai-org/core';
import neo4j, { type Driver } from 'neo4j-driver';
import { taskProjection } from '../tasks/task.projection';
import type { TaskRecord } from '../tasks/task.types';

type Artifact = NonNullable<TaskChange['artifact']>;

/**
 * Publishes a live `task` event per changed task, with the task as it is now (one read for all of
 * them), so a client can update its row or graph node without a refetch.
 */
export class TaskAnnouncer {
  constructor(
    private readonly driver: Driver,
    private readonly sink: TenantEventSink,
    private readonly database?: string,
  ) {}

  async announce(
    tenantId: string,
    taskIds: readonly string[],
    artifact?: Artifact & { taskId: string },
  ): Promise<void> {
    if (taskIds.length === 0 || this.sink === noEvents) return;
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId}) WHERE t.id IN $taskIds RETURN ${taskProjection} AS task`,
      { tenantId, taskIds: [...taskIds] },
      { database: this.database, routing: neo4j.routing.READ },
    );
    const byId = new Map(records.map((r) => [(r.get('task') as TaskRecord).id, r.get('task') as TaskRecord]));
    await this.publishAll(
      tenantId,
      taskIds.flatMap((id) => byId.get(id) ?? []),
      artifact,
    );
  }

  /**
   * Publishes tasks as the caller read them in the transaction that changed them (e.g. a dispatch's
   * claim), without reading them again.
   */
  async announceTasks(
    tenantId: string,
    tasks: readonly TaskRecord[],
    artifact?: Artifact & { taskId: string },
  ): Promise<void> {
    if (this.sink === noEvents) return;
    await this.publishAll(tenantId, tasks, artifact);
  }

  /** In order; in one round trip per hundred when the sink can (`publishMany`). */
  private async publishAll(
    tenantId: string,
    tasks: readonly TaskRecord[],
    artifact?: Artifact & { taskId: string },
  ): Promise<void> {
    const events = tasks.map((task) => this.eventOf(task, artifact));
    if (this.sink.publishMany && events.length > 1) return this.sink.publishMany(tenantId, events);
    for (const event of events) await this.sink.publish(tenantId, event);
  }

  private eventOf(task: TaskRecord, artifact?: Artifact & { taskId: string }): TenantEventBody {
    return {
      kind: 'task',
      task: {
        id: task.id,
        description: task.description,
        status: task.status,
        statusReason: task.statusReason,
        owner: task.owner,
        routedBy: task.routedBy,
        businessValue: task.businessValue,
        tokensPlan: task.tokensPlan,
        tokensActual: task.tokensActual,
        purposeRelevance: task.purposeRelevance,
        dependsOn: task.dependsOn,
        version: task.version,
        ...(artifact && artifact.taskId === task.id
          ? {
              artifact: {
                id: artifact.id,
                provider: artifact.provider,
                model: artifact.model,
                offline: artifact.offline,
              },
            }
          : {}),
      },
    };
  }
}

/** For services built without live events. */
export const silentAnnouncer = { announce: async () => {} } satisfies Pick<TaskAnnouncer, 'announce'>;
export type Announcer = Pick<TaskAnnouncer, 'announce'>;
/** An announcer that may also publish tasks as read by the caller (`announceTasks`), saving a read. */
export type SnapshotAnnouncer = Announcer & Partial<Pick<TaskAnnouncer, 'announceTasks'>>;
