import { AppError } from '@ai-org/core';
import type { MergeRecord, ReleaseRecord, TestRunRecord, WorkspaceRecord, WorkspaceRepository } from '@ai-org/schema';
import { isWorkspaceError } from './workspace-error';
import { isWorkspaceFileError } from './workspace-file-error';
import { WorkspacePathError } from './workspace-paths';
import type { WorkspaceStore } from './workspace-store';

/** The longest path a file read accepts, and the most of a file it returns. */
export const maxWorkspacePathLength = 4_096;
export const maxWorkspaceFileBytes = 256 * 1024;

export interface WorkspaceFileView {
  readonly path: string;
  readonly content: string;
  readonly truncated: boolean;
}

/** A release's file, for a download: where it is and what it must hash to. */
export interface ReleaseDownload {
  readonly path: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly contentType: string;
}

export type ReleasePart = 'tar' | 'bundle';

/**
 * Reading goals' workspaces for the API: the record, main's files, a file's text, merges with their
 * diffs, test runs, releases and their files. Always for the caller's tenant: a workspace of another
 * tenant is "not found", as one that does not exist.
 */
export class WorkspaceService {
  constructor(
    private readonly records: WorkspaceRepository,
    private readonly store: Pick<WorkspaceStore, 'tree' | 'readAt' | 'releaseFile'>,
  ) {}

  list(tenantId: string): Promise<WorkspaceRecord[]> {
    return this.records.list(tenantId);
  }

  byGoal(tenantId: string, goalId: string): Promise<WorkspaceRecord | null> {
    return this.records.byGoal(tenantId, goalId);
  }

  /** main's files; none until the first merge. */
  async files(workspace: WorkspaceRecord): Promise<string[]> {
    if (workspace.mainCommit === null) return [];
    try {
      return await this.store.tree(workspace.tenantId, workspace.goalId, workspace.mainCommit);
    } catch (error) {
      // Recorded but not on this host's disk (WORKSPACE_ROOT not shared with the workers): no files here.
      if (isWorkspaceError(error) && error.code === 'not_found') return [];
      throw error;
    }
  }

  async file(workspace: WorkspaceRecord, path: string): Promise<WorkspaceFileView | null> {
    if (path.length === 0 || path.length > maxWorkspacePathLength)
      throw new AppError('BAD_USER_INPUT', `A path has 1 to ${maxWorkspacePathLength} characters`);
    if (workspace.mainCommit === null) return null;
    try {
      const file = await this.store.readAt(workspace.tenantId, workspace.goalId, workspace.mainCommit, path, {
        maxBytes: maxWorkspaceFileBytes,
      });
      return { path, ...file };
    } catch (error) {
      // A file that is not there reads as null; a path the workspace refuses is the caller's mistake.
      if ((isWorkspaceFileError(error) || isWorkspaceError(error)) && error.code === 'not_found') return null;
      if (isWorkspaceFileError(error) || error instanceof WorkspacePathError)
        throw new AppError('BAD_USER_INPUT', error.message);
      throw error;
    }
  }

  merges(workspace: WorkspaceRecord): Promise<MergeRecord[]> {
    return this.records.merges(workspace.tenantId, workspace.goalId);
  }

  testRuns(workspace: WorkspaceRecord): Promise<TestRunRecord[]> {
    return this.records.testRuns(workspace.tenantId, workspace.goalId);
  }

  async release(workspace: WorkspaceRecord): Promise<ReleaseRecord | null> {
    return (await this.records.releases(workspace.tenantId, workspace.goalId))[0] ?? null;
  }

  /** The latest release's file of a workspace of the tenant; NOT_FOUND when there is none. */
  async download(tenantId: string, workspaceId: string, part: ReleasePart): Promise<ReleaseDownload> {
    const workspace = await this.records.byId(tenantId, workspaceId);
    const release = workspace && (await this.release(workspace));
    if (!workspace || !release) throw new AppError('NOT_FOUND', `No release of workspace ${workspaceId}`);
    const path = this.store.releaseFile(tenantId, workspace.goalId, release.tag, part);
    return part === 'tar'
      ? {
          path,
          fileName: `${workspace.goalId}-${release.tag}.tar.gz`,
          sha256: release.tarSha256,
          bytes: release.tarBytes,
          contentType: 'application/gzip',
        }
      : {
          path,
          fileName: `${workspace.goalId}-${release.tag}.bundle`,
          sha256: release.bundleSha256,
          bytes: release.bundleBytes,
          contentType: 'application/octet-stream',
        };
  }
}
