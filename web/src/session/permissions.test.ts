import { describe, expect, it } from 'vitest';
import { nothingPermitted, permissionsOf } from './permissions';

describe('what a role is offered', () => {
  it('offers a viewer nothing that changes anything', () => {
    expect(permissionsOf({ role: 'viewer', platformAdmin: false })).toEqual(nothingPermitted);
  });

  it('offers a member tasks, goals and dispatch, but not keys, webhooks or budgets', () => {
    expect(permissionsOf({ role: 'member', platformAdmin: false })).toEqual({
      changeTasks: true,
      dispatch: true,
      manageKeys: false,
      manageWebhooks: false,
      manageBilling: false,
      decidePlans: false,
      administerBudget: false,
    });
  });

  it('offers an owner keys and webhooks too, and budgets only as a platform admin', () => {
    const owner = permissionsOf({ role: 'owner', platformAdmin: false });
    expect(owner).toMatchObject({
      changeTasks: true,
      dispatch: true,
      manageKeys: true,
      manageWebhooks: true,
      manageBilling: true,
      decidePlans: true,
    });
    expect(owner.administerBudget).toBe(false);
    expect(permissionsOf({ role: 'owner', platformAdmin: true }).administerBudget).toBe(true);
  });

  it('offers a platform admin key that acts for no tenant only budget administration', () => {
    expect(permissionsOf({ role: null, platformAdmin: true })).toEqual({ ...nothingPermitted, administerBudget: true });
  });

  it('offers nothing before the API has said who the caller is', () => {
    expect(permissionsOf(null)).toEqual(nothingPermitted);
  });
});
