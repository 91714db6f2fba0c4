import type { Logger, TenantEventSink } from '@ai-org/core';
import type { WorkspaceStore } from '@ai-org/domain';
import type { ReleaseRecord, WorkspaceRepository } from '@ai-org/schema';

/** The tag of a goal's release: one release per goal, when all its tasks are done. */
export const releaseTag = 'v1.0.0';

export interface ReleaseShipperDeps {
  readonly store: Pick<WorkspaceStore, 'release'>;
  readonly records: Pick<WorkspaceRepository, 'readyToShip' | 'recordRelease'>;
  readonly events: TenantEventSink;
  readonly logger: Logger;
}

/**
 * Ships finished goals: when every task of a goal with a workspace is done, main is tagged and a
 * release bundle is made (`.tar.gz` of the tree and a `git bundle`, each with its SHA-256), then
 * recorded. Main holds only merges whose tests passed on that very commit, so nothing is re-tested
 * here. Safe to repeat after a crash: the files are written under temporary names and renamed, the
 * tag and the record are idempotent.
 */
export class ReleaseShipper {
  constructor(private readonly deps: ReleaseShipperDeps) {}

  async shipReady(tenantId: string): Promise<ReleaseRecord[]> {
    const shipped: ReleaseRecord[] = [];
    for (const workspace of await this.deps.records.readyToShip(tenantId)) {
      const bundle = await this.deps.store.release(tenantId, workspace.goalId, releaseTag);
      const release = await this.deps.records.recordRelease({
        tenantId,
        goalId: workspace.goalId,
        tag: bundle.tag,
        commit: bundle.commit,
        tarSha256: bundle.tarSha256,
        tarBytes: bundle.tarBytes,
        bundleSha256: bundle.bundleSha256,
        bundleBytes: bundle.bundleBytes,
      });
      this.deps.logger.info({ tenant: tenantId, goal: workspace.goalId, tag: release.tag }, 'goal shipped');
      await this.deps.events
        .publish(tenantId, {
          kind: 'workspace',
          workspace: {
            goalId: workspace.goalId,
            taskId: null,
            what: 'release',
            summary: `released ${release.tag} (${release.commit.slice(0, 12)}), tar.gz sha256 ${release.tarSha256}`,
          },
        })
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not announce a release'));
      shipped.push(release);
    }
    return shipped;
  }
}
