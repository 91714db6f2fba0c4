const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium' });

export const formatUsd = (value: number): string => usd.format(value);

export const formatNumber = (value: number): string => number.format(value);

/** Tokens are counted in thousands in the API. */
export const formatTokens = (thousands: number): string => `${number.format(thousands)}k`;

/** A fraction (0..1) as a percentage; a tiny non-zero share reads "<0.1%", not "0%". */
export const formatPercent = (fraction: number): string =>
  fraction > 0 && fraction < 0.001 ? '<0.1%' : percent.format(fraction);

const parse = (iso: string): Date | null => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

export const formatDateTime = (iso: string): string => {
  const date = parse(iso);
  return date ? dateTime.format(date) : iso;
};

export const formatTime = (iso: string): string => {
  const date = parse(iso);
  return date ? time.format(date) : iso;
};
