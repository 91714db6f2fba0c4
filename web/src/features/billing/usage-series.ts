/** The usage chart's period: the last `days` UTC days, today included ([from, to) as the API takes it). */
export const usageWindow = (now: Date, days = 30): { readonly from: string; readonly to: string } => {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const dayMs = 86_400_000;
  return { from: new Date(tomorrow - days * dayMs).toISOString(), to: new Date(tomorrow).toISOString() };
};

export interface UsageDay {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly usd: number;
  readonly tokens: number;
}

/** One entry per day of the window, oldest first; days without charges (absent from the rows) are 0. */
export const dailySeries = (
  rows: readonly { readonly day?: string | null; readonly usd: number; readonly tokens: number }[],
  window: { readonly from: string; readonly to: string },
): UsageDay[] => {
  const byDay = new Map<string, { usd: number; tokens: number }>();
  for (const row of rows) {
    if (!row.day) continue;
    const known = byDay.get(row.day) ?? { usd: 0, tokens: 0 };
    byDay.set(row.day, { usd: known.usd + row.usd, tokens: known.tokens + row.tokens });
  }
  const series: UsageDay[] = [];
  for (let at = Date.parse(window.from); at < Date.parse(window.to); at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    series.push({ day, ...(byDay.get(day) ?? { usd: 0, tokens: 0 }) });
  }
  return series;
};
