import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { dailySeries, usageWindow } from '../usage-series';
import { UsageBars } from './UsageBars';

describe('the usage chart', () => {
  it('draws one bar per day, the highest day full height, each naming its day, cost and tokens', () => {
    const series = dailySeries(
      [
        { day: '2025-03-09', usd: 2, tokens: 4000 },
        { day: '2025-03-10', usd: 0.5, tokens: 1000 },
      ],
      usageWindow(new Date('2025-03-10T12:00:00Z')),
    );
    const html = renderToStaticMarkup(createElement(UsageBars, { series }));
    expect(html.match(/<rect /g)).toHaveLength(30);
    expect(html).toContain('<title>2025-03-09: $2.00, 4,000 tokens</title>');
    expect(html).toContain('<title>2025-02-09: $0.00, 0 tokens</title>');
    expect(html).toMatch(/y="6" width="[\d.]+" height="114"><title>2025-03-09/);
    expect(html).toContain('$2.50 in 30 days');
    expect(html).toContain('aria-label="$2.50 spent from 2025-02-09 to 2025-03-10; at most $2.00 on one day"');
  });
});
