import { useState } from 'react';
import { useQuery } from 'urql';
import { errorText } from '../../../api/error-text';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { billingUsageQuery } from '../graphql/billing.documents';
import { dailySeries, usageWindow } from '../usage-series';
import { UsageBars } from './UsageBars';

/** What the budget was charged per day over the last 30 days (the usage statement, grouped by day). */
export const UsageChart = () => {
  const [period] = useState(() => usageWindow(new Date()));
  const [result, reexecute] = useQuery({ query: billingUsageQuery, variables: period, requestPolicy: 'network-only' });
  if (result.error) {
    return (
      <ErrorMessage
        title="Could not load the usage"
        error={errorText(result.error)}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      />
    );
  }
  if (!result.data) return <Loading what="the usage" />;
  const series = dailySeries(result.data.usage.rows, period);
  return series.some((day) => day.usd > 0) ? (
    <UsageBars series={series} />
  ) : (
    <Empty>No usage in the last 30 days.</Empty>
  );
};
