import { formatNumber, formatUsd } from '../../../ui/format';
import type { UsageDay } from '../usage-series';

const width = 600;
const height = 120;
const top = 6;

/** USD per day as bars (plain SVG); each bar names its day, cost and tokens. */
export const UsageBars = ({ series }: { series: readonly UsageDay[] }) => {
  const max = Math.max(...series.map((day) => day.usd));
  const slot = width / series.length;
  const total = series.reduce((sum, day) => sum + day.usd, 0);
  const first = series[0]?.day ?? '';
  const last = series[series.length - 1]?.day ?? '';
  return (
    <figure className="usage-chart" data-testid="billing-usage-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${formatUsd(total)} spent from ${first} to ${last}; at most ${formatUsd(max)} on one day`}
      >
        <line x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} className="usage-axis" />
        {series.map((day, index) => {
          const barHeight = max > 0 ? ((height - top) * day.usd) / max : 0;
          return (
            <rect
              key={day.day}
              className="usage-bar"
              x={index * slot + 1}
              y={height - barHeight}
              width={Math.max(1, slot - 2)}
              height={barHeight}
            >
              <title>{`${day.day}: ${formatUsd(day.usd)}, ${formatNumber(day.tokens)} tokens`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="usage-caption">
        <span>{first}</span>
        <span>
          {formatUsd(total)} in {series.length} days · highest day {formatUsd(max)}
        </span>
        <span>{last}</span>
      </figcaption>
    </figure>
  );
};
