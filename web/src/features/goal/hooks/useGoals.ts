import { useCallback } from 'react';
import { useQuery } from 'urql';
import { useRefreshOn } from '../../../api/useRefreshOn';
import { useLive } from '../../live/components/LiveProvider';
import { goalsQuery } from '../graphql/goal.documents';

/** The goals, fetched again whenever a `plan` event arrives. */
export const useGoals = () => {
  const [result, reexecute] = useQuery({ query: goalsQuery });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const plans = useLive((state) => state.plans);
  useRefreshOn(plans, refresh, 1000);
  return { ...result, refresh };
};
