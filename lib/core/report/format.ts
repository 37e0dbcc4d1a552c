/**
 * Number formatting for the report, in one fixed locale so the same run renders the same page on
 * every machine (a report diffed between runs should only change where the data did).
 */

const LOCALE = 'en-US';
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** Formatters are built once per option set: building one costs far more than formatting with it. */
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(LOCALE, options)));
  return f;
}

export function formatInt(n: number): string {
  return integer.format(n);
}

/** Up to `digits` significant decimals, no trailing zeros: 0.012, 12.4, 1,204. */
export function formatNumber(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return integer.format(n);
  return formatter({ maximumSignificantDigits: digits }).format(n);
}

/** A share in 0..1 as a percentage: 0.552 -> `55.2%`, 0.0004 -> `0.04%`. */
export function formatPercent(share: number): string {
  const pct = share * 100;
  if (pct > 0 && pct < 0.01) return '<0.01%';
  const digits = pct !== 0 && Math.abs(pct) < 1 ? 2 : 1;
  return `${formatter({ maximumFractionDigits: digits }).format(pct)}%`;
}

/** Seconds for people: `850 ms`, `12.4 s`, `3.5 min`, `2.1 h`. */
export function formatSeconds(s: number): string {
  if (s < 1) return `${formatNumber(s * 1000, 3)} ms`;
  if (s < 120) return `${formatNumber(s, 3)} s`;
  if (s < 2 * 3600) return `${formatNumber(s / 60, 2)} min`;
  return `${formatNumber(s / 3600, 2)} h`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, 3)} ${units[unit] ?? 'B'}`;
}

/** An ISO time shown as `2026-11-23 00:00 UTC` (the report is read by people in many time zones). */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Length of a window in words: `7 days`, `36 hours`, `45 minutes`. */
export function formatSpan(startIso: string, endIso: string): string {
  const s = (Date.parse(endIso) - Date.parse(startIso)) / 1000;
  if (!Number.isFinite(s)) return '';
  if (s >= 2 * 86400) return `${formatNumber(s / 86400, 3)} days`;
  if (s >= 2 * 3600) return `${formatNumber(s / 3600, 3)} hours`;
  return `${formatNumber(s / 60, 3)} minutes`;
}

/**
 * Whether a persona's logs timed its responses. Combined logs without a request time after the agent
 * do not: the model then holds 0 ms for every state, which the report shows as "not logged" rather
 * than as a measured 0 ms (the k6 script sets no response-time threshold for it either).
 */
export function responsesTimed(p: { readonly states: readonly { readonly responseTimeMs: { readonly p99: number } }[] }): boolean {
  return p.states.some((s) => s.responseTimeMs.p99 > 0);
}
