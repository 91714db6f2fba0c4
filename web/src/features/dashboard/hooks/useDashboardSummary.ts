import { useCallback } from 'react';
import { useQuery } from 'urql';
import { useRefreshOn } from '../../../api/useRefreshOn';
import { useLive } from '../../live/components/LiveProvider';
import { dashboardSummaryQuery } from '../graphql/dashboard.documents';

/** The forecast and the inspection, fetched again (throttled) whenever a task or the budget changes. */
export const useDashboardSummary = () => {
  const [result, reexecute] = useQuery({ query: dashboardSummaryQuery });
  const tasks = useLive((state) => state.tasks);
  const budget = useLive((state) => state.budget);
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefreshOn(tasks, refresh, 2000);
  useRefreshOn(budget, refresh, 2000);
  return { ...result, refresh };
};
