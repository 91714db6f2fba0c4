import { useEffect } from 'react';
import { errorText } from '../../../api/error-text';
import { usePermissions } from '../../../session/MeProvider';
import { Panel } from '../../../ui/Panel';
import { ErrorMessage, Loading } from '../../../ui/StateMessage';
import { useBilling } from '../hooks/useBilling';
import { useCheckoutReturn } from '../hooks/useCheckoutReturn';
import { AutoReloadPanel } from './AutoReloadPanel';
import { BalanceFigures } from './BalanceFigures';
import { CheckoutNotice } from './CheckoutNotice';
import { TopUpForm } from './TopUpForm';
import { TopUpHistory } from './TopUpHistory';
import { UsageChart } from './UsageChart';
import '../../../ui/notice.css';
import './billing.css';

/** Said for every role when the platform has no Stripe account: nothing here pretends to take money. */
const NotConfigured = () => (
  <p className="notice notice-warning" data-testid="billing-not-configured">
    Top-ups are not configured on this platform (no STRIPE_SECRET_KEY), so nothing can be paid here. A platform admin
    funds the budget instead.
  </p>
);

/**
 * Balances, top-ups through Stripe Checkout, automatic reloads and the last 30 days' usage. Everyone
 * reads; only owners pay or change the auto-reload setting.
 */
export const BillingPage = () => {
  const { result, refresh, liveBudget } = useBilling();
  const { manageBilling } = usePermissions();
  const { outcome, dismiss } = useCheckoutReturn();
  useEffect(() => {
    if (outcome === 'success') refresh();
  }, [outcome, refresh]);
  const billing = result.data?.billing;
  const limits = billing ? { minUsd: billing.topUpMinUsd, maxUsd: billing.topUpMaxUsd } : null;
  // The live budget is the newest; the query's answers until the live store has its snapshot.
  const budget = liveBudget ?? result.data?.budget;
  const failed = result.error ? (
    <ErrorMessage title="Could not load billing" error={errorText(result.error)} onRetry={refresh} />
  ) : null;
  return (
    <div className="billing-grid" data-testid="billing-page">
      {outcome ? <CheckoutNotice outcome={outcome} onDismiss={dismiss} /> : null}
      <Panel title="Balance" testId="billing-balance">
        {budget ? <BalanceFigures budget={budget} /> : (failed ?? <Loading what="the balance" />)}
      </Panel>
      <Panel title="Top up" testId="billing-top-up-panel">
        {!billing ? (
          (failed ?? <Loading what="billing" />)
        ) : !billing.topUpsConfigured || !limits ? (
          <NotConfigured />
        ) : manageBilling ? (
          <TopUpForm limits={limits} />
        ) : (
          <p className="hint">Only the tenant’s owners top up the budget.</p>
        )}
      </Panel>
      {billing?.topUpsConfigured && limits ? (
        <Panel title="Automatic reload" testId="billing-auto-reload">
          <AutoReloadPanel
            autoReload={billing.autoReload}
            canChange={manageBilling}
            limits={limits}
            onSaved={refresh}
          />
        </Panel>
      ) : null}
      <Panel title="Top-ups" testId="billing-history">
        {billing ? <TopUpHistory topUps={billing.topUps} /> : (failed ?? <Loading what="the top-ups" />)}
      </Panel>
      <Panel title="Usage, last 30 days (USD per day)" testId="billing-usage" className="billing-wide">
        <UsageChart />
      </Panel>
    </div>
  );
};
