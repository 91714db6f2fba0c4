import { describe, expect, it } from 'vitest';
import { goalIdOfHash, workspaceHref } from './workspace-route';

describe('the workspace route', () => {
  it('reads back the goal id a link names', () => {
    expect(goalIdOfHash(workspaceHref('goal 1/x'))).toBe('goal 1/x');
    expect(goalIdOfHash('#/workspace/abc?tab=files')).toBe('abc');
  });

  it('names no goal for the list or for another page', () => {
    expect(goalIdOfHash('#/workspace')).toBeNull();
    expect(goalIdOfHash('#/workspace/')).toBeNull();
    expect(goalIdOfHash('#/goal')).toBeNull();
    expect(goalIdOfHash('')).toBeNull();
  });

  it('names no goal for a malformed escape', () => {
    expect(goalIdOfHash('#/workspace/%E0%A4%A')).toBeNull();
  });
});
