import path from 'node:path';
import { WorkspaceError } from './workspace-error';

export const tenantIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const goalIdPattern = /^[0-9a-z]{8}$/;
export const taskIdPattern = /^[0-9a-z]{8}$/;
export const worktreeNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const releaseTagPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Branch, tag or commit names accepted from callers: no options, ranges, reflog or path syntax. */
const revisionPattern = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
const commitIdPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const exportNamePattern = /^[0-9a-z]{8}-[0-9a-f]{12}$/;

const check = (pattern: RegExp, value: unknown, what: string): string => {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new WorkspaceError('invalid_input', `invalid ${what}: ${JSON.stringify(String(value).slice(0, 80))}`);
  }
  return value;
};

export const checkTaskId = (taskId: string): string => check(taskIdPattern, taskId, 'task id');
export const checkWorktreeName = (name: string): string => check(worktreeNamePattern, name, 'worktree name');
export const checkCommitId = (commit: string): string => check(commitIdPattern, commit, 'commit id (full hex sha)');

export function checkRevision(revision: string): string {
  check(revisionPattern, revision, 'revision');
  if (revision.includes('..') || revision.includes('//') || revision.endsWith('/') || revision.endsWith('.lock')) {
    throw new WorkspaceError('invalid_input', `invalid revision: ${JSON.stringify(revision)}`);
  }
  return revision;
}

export function checkReleaseTag(tag: string): string {
  check(releaseTagPattern, tag, 'release tag');
  if (tag.includes('..') || tag.endsWith('.lock') || tag.endsWith('.')) {
    throw new WorkspaceError('invalid_input', `invalid release tag: ${JSON.stringify(tag)}`);
  }
  return tag;
}

export interface GoalLayout {
  readonly goal: string;
  readonly repo: string;
  readonly worktrees: string;
  readonly exports: string;
  readonly releases: string;
}

/** The folders of one goal's workspace, built only from validated ids. */
export function goalLayout(root: string, tenantId: string, goalId: string): GoalLayout {
  const goal = path.join(root, check(tenantIdPattern, tenantId, 'tenant id'), check(goalIdPattern, goalId, 'goal id'));
  return {
    goal,
    repo: path.join(goal, 'repo.git'),
    worktrees: path.join(goal, 'worktrees'),
    exports: path.join(goal, 'exports'),
    releases: path.join(goal, 'releases'),
  };
}

/** Splits `<root>/<tenant>/<goal>/<folder>/<name>` back into its parts, or null when `target` is not laid out so. */
export function parseGoalPath(
  root: string,
  target: string,
): { tenantId: string; goalId: string; folder: string; name: string } | null {
  const parts = path.relative(root, path.resolve(target)).split(path.sep);
  if (parts.length !== 4) return null;
  const [tenantId = '', goalId = '', folder = '', name = ''] = parts;
  if (!tenantIdPattern.test(tenantId) || !goalIdPattern.test(goalId)) return null;
  return { tenantId, goalId, folder, name };
}

export const isExportName = (name: string): boolean => exportNamePattern.test(name);
