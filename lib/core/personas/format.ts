/** Numbers as people read them in evidence sentences: three significant digits, no exponent. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** Shares as percentages: `0.312` -> `31%`. */
export function pct(x: number): string {
  return `${fmt(x * 100)}%`;
}
