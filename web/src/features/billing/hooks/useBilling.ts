import { useCallback } from 'react';
import { useQuery } from 'urql';
import { useRefreshOn } from '../../../api/useRefreshOn';
import { useLive } from '../../live/components/LiveProvider';
import { billingQuery } from '../graphql/billing.documents';

/**
 * The Billing page's data. It is read again whenever the live budget changes: a payment Stripe
 * confirms arrives as a budget event, and the top-up it paid then reads "paid".
 */
export const useBilling = () => {
  const [result, reexecute] = useQuery({ query: billingQuery, requestPolicy: 'network-only' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const liveBudget = useLive((state) => state.budget);
  useRefreshOn(liveBudget, refresh, 1000);
  return { result, refresh, liveBudget };
};
