/** What the signed-in caller is, as `me` answers (only the fields that decide what may be shown). */
export interface Caller {
  readonly role: 'viewer' | 'member' | 'owner' | null;
  readonly platformAdmin: boolean;
}

/** What the page offers; anything false is hidden, not just disabled. */
export interface Permissions {
  /** createTask, createPlan, dependencies, setTaskStatus, setGoal (member). */
  readonly changeTasks: boolean;
  /** dispatchTask and dispatchReadyTasks (member). */
  readonly dispatch: boolean;
  /** apiKeys, createApiKey, revokeApiKey (owner). */
  readonly manageKeys: boolean;
  /** webhooks, addWebhook, removeWebhook, testWebhook (owner). */
  readonly manageWebhooks: boolean;
  /** createTopUpCheckout, setAutoReload (owner); every role reads `billing`. */
  readonly manageBilling: boolean;
  /** approvePlan, rejectPlan, setSpendApproval (owner). */
  readonly decidePlans: boolean;
  /** setBudget, topUpBudget, createTenant (platform admin). */
  readonly administerBudget: boolean;
}

const rank = { viewer: 1, member: 2, owner: 3 } as const;

/** Nothing is offered until `me` has answered. */
export const nothingPermitted: Permissions = {
  changeTasks: false,
  dispatch: false,
  manageKeys: false,
  manageWebhooks: false,
  manageBilling: false,
  decidePlans: false,
  administerBudget: false,
};

/** The API's role rules (viewer < member < owner; platform admin apart), mirrored for the page. */
export const permissionsOf = (caller: Caller | null): Permissions => {
  if (!caller) return nothingPermitted;
  const level = caller.role === null ? 0 : rank[caller.role];
  return {
    changeTasks: level >= rank.member,
    dispatch: level >= rank.member,
    manageKeys: level >= rank.owner,
    manageWebhooks: level >= rank.owner,
    manageBilling: level >= rank.owner,
    decidePlans: level >= rank.owner,
    administerBudget: caller.platformAdmin,
  };
};
