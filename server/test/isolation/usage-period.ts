const dayMs = 86_400_000;
const today = Math.floor(Date.now() / dayMs) * dayMs;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The period the suite asks usage statements for: yesterday to the day after tomorrow (UTC), fixed
 * when the suite loads, so the fixture's charges fall in it and repeated reads ask the same thing.
 */
export const usagePeriod: { readonly from: string; readonly to: string } = {
  from: isoDay(today - dayMs),
  to: isoDay(today + 2 * dayMs),
};
