/**
 * Compares production's traffic figures with synthetic ones (simulated from the model, or captured
 * from a load test) figure by figure, and says in one sentence per figure what an SRE needs to
 * know: does it match, by how much, and what is most off.
 */
import { DEFAULTS } from '../config';
import type { Clock, ValidationCheck, ValidationMetric, ValidationReport } from '../types';
import {
  HOURS_PER_DAY,
  SECONDS_PER_WEEK,
  foldToHourOfDay,
  type SliceFigures,
  type TrafficFigures,
} from './figures';
import { type CountMap, jensenShannon, ksTwoSample, largestDivergence, median, pearson } from './stats';

export type Tolerances = { readonly [K in keyof typeof DEFAULTS.validation.tolerances]: number };

export interface CompareOptions {
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default DEFAULTS.validation.minPersonaSessions */
  readonly minPersonaSessions?: number;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Compares two sets of figures. Checks cover the whole traffic (`scope: 'all'`) and, when both
 * sides carry `perPersona`, the persona mix plus every persona present on both sides with enough
 * sessions (peak rate is left out per persona: the maximum of a thin slice is noise). The report
 * passes when every check passes.
 */
export function compareFigures(
  production: TrafficFigures,
  synthetic: TrafficFigures,
  tolerances: Tolerances = DEFAULTS.validation.tolerances,
  kind: ValidationReport['kind'] = 'model',
  options: CompareOptions = {},
): ValidationReport {
  const clock = options.clock ?? systemClock;
  const minSessions = options.minPersonaSessions ?? DEFAULTS.validation.minPersonaSessions;
  const checks: ValidationCheck[] = [...sliceChecks('all', production, synthetic, tolerances, true)];

  if (production.perPersona && synthetic.perPersona) {
    const prod = production.perPersona;
    const syn = synthetic.perPersona;
    checks.push(
      mixCheck('all', 'persona_mix', 'persona mix', 'sessions', sessionsByPersona(prod), sessionsByPersona(syn), tolerances.personaMixJsd),
    );
    for (const name of Object.keys(prod).sort()) {
      const p = prod[name];
      const s = syn[name];
      if (!p || !s || p.sessions < minSessions || s.sessions < minSessions) continue;
      checks.push(...sliceChecks(name, p, s, tolerances, false));
    }
  }
  return { kind, generatedAt: clock.now().toISOString(), pass: checks.every((c) => c.pass), checks };
}

function sessionsByPersona(perPersona: Readonly<Record<string, SliceFigures>>): Record<string, number> {
  return Object.fromEntries(Object.entries(perPersona).map(([name, f]) => [name, f.sessions]));
}

function sliceChecks(
  scope: string,
  p: SliceFigures,
  s: SliceFigures,
  tol: Tolerances,
  withPeak: boolean,
): ValidationCheck[] {
  const checks = [
    mixCheck(scope, 'endpoint_mix', 'endpoint mix', 'pages', p.endpointCounts, s.endpointCounts, tol.endpointMixJsd),
    ksCheck(scope, 'requests_per_session', 'requests per session', p.requestsPerSession, s.requestsPerSession, tol.requestsPerSessionKs, (v) => `${round(v, 1)} pages`),
    ksCheck(scope, 'think_time', 'think times', p.thinkTimes, s.thinkTimes, tol.thinkTimeKs, (v) => `${round(v, 1)} s`),
    arrivalCheck(scope, p, s, tol.arrivalCorrelation),
    rateCheck(scope, 'error_rate', 'error rate', p.errorRate, s.errorRate, tol.errorRateAbs),
    rateCheck(scope, 'write_ratio', 'write ratio', p.writeRatio, s.writeRatio, tol.writeRatioAbs),
  ];
  if (withPeak) checks.push(peakCheck(scope, p.peakRps, s.peakRps, tol.peakRpsRel));
  return checks;
}

function check(
  scope: string,
  figure: string,
  metric: ValidationMetric,
  value: number,
  tolerance: number,
  production: number | null,
  synthetic: number | null,
  says: (pass: boolean) => string,
): ValidationCheck {
  const pass = metric === 'correlation' ? value >= tolerance : value <= tolerance;
  const prefix = scope === 'all' ? '' : `persona ${scope}: `;
  return { figure, metric, scope, value, tolerance, pass, production, synthetic, says: prefix + says(pass) };
}

/**
 * Categorical mix by Jensen-Shannon divergence. `production`/`synthetic` hold the shares of the
 * category that differs most, the one `says` names, so the number a reader sees is actionable.
 */
function mixCheck(
  scope: string,
  figure: string,
  noun: string,
  unit: string,
  p: CountMap,
  s: CountMap,
  tolerance: number,
): ValidationCheck {
  const value = jensenShannon(p, s);
  const gap = largestDivergence(p, s);
  return check(scope, figure, 'jsd', value, tolerance, gap?.p ?? null, gap?.q ?? null, (pass) => {
    const head = pass
      ? `${noun} matches: JSD ${fmt(value)} <= ${fmt(tolerance)}`
      : `${noun} differs: JSD ${fmt(value)} > ${fmt(tolerance)}`;
    if (!gap) return `${head}; neither side has ${unit} to compare`;
    return `${head}; ${pass ? 'largest gap: ' : ''}${describeGap(gap.key, gap.p, gap.q, unit)}`;
  });
}

/** Below this ratio a gap reads better as two percentages than as "1.1x rarer". */
const RATIO_WORTH_SAYING = 1.5;

function describeGap(key: string, p: number, q: number, unit: string): string {
  if (q === 0) return `${key} never appears in the synthetic traffic (${pct(p)} of production ${unit})`;
  if (p === 0) return `${key} appears only in the synthetic traffic (${pct(q)} of its ${unit}), never in production`;
  const ratio = Math.max(p, q) / Math.min(p, q);
  if (ratio < RATIO_WORTH_SAYING) return `${key} at ${pct(q)} of synthetic ${unit} vs ${pct(p)} in production`;
  const direction = q < p ? 'rarer' : 'more frequent';
  return `${key} is ${times(ratio)} ${direction} in the synthetic traffic (${pct(q)} vs ${pct(p)} of ${unit})`;
}

/** Sample distribution by two-sample KS D; `production`/`synthetic` hold the medians. */
function ksCheck(
  scope: string,
  figure: string,
  noun: string,
  p: readonly number[],
  s: readonly number[],
  tolerance: number,
  unit: (v: number) => string,
): ValidationCheck {
  const { d } = ksTwoSample(p, s);
  const mp = p.length > 0 ? median(p) : null;
  const ms = s.length > 0 ? median(s) : null;
  return check(scope, figure, 'ks', d, tolerance, mp, ms, (pass) => {
    const head = pass
      ? `${noun} match: KS D ${fmt(d)} <= ${fmt(tolerance)}`
      : `${noun} differ: KS D ${fmt(d)} > ${fmt(tolerance)}`;
    if (mp === null || ms === null) {
      return `${head} (${mp === null ? 'production' : 'synthetic'} traffic has none${mp === null && ms === null ? ', nor has the other side' : ''})`;
    }
    if (unit(mp) === unit(ms)) return `${head} (median ${unit(mp)} on both sides)`;
    return `${head} (median ${unit(mp)} in production vs ${unit(ms)} synthetic)`;
  });
}

/**
 * Hourly arrival shape by Pearson correlation: per hour of week when both windows span a week,
 * folded to hours of day otherwise (a shorter window leaves most hours of week empty, and two
 * different weekdays would look uncorrelated). `production`/`synthetic` hold the busiest hour.
 */
function arrivalCheck(scope: string, p: SliceFigures, s: SliceFigures, tolerance: number): ValidationCheck {
  const byWeek = p.windowSeconds >= SECONDS_PER_WEEK && s.windowSeconds >= SECONDS_PER_WEEK;
  const pv = byWeek ? p.arrivalsByHourOfWeek : foldToHourOfDay(p.arrivalsByHourOfWeek);
  const sv = byWeek ? s.arrivalsByHourOfWeek : foldToHourOfDay(s.arrivalsByHourOfWeek);
  const value = pearson(pv, sv);
  const hp = argmax(pv);
  const hs = argmax(sv);
  const over = byWeek ? 'over 168 hours of week' : 'over 24 hours of day (window shorter than a week)';
  return check(scope, 'arrival_shape', 'correlation', value, tolerance, hp, hs, (pass) => {
    const head = pass
      ? `hourly arrival shape matches: correlation ${fmt(value)} >= ${fmt(tolerance)} ${over}`
      : `hourly arrival shape differs: correlation ${fmt(value)} < ${fmt(tolerance)} ${over}`;
    const busiest =
      hp === hs
        ? `busiest hour ${hourLabel(hp, byWeek)} in both`
        : `busiest hour ${hourLabel(hp, byWeek)} in production vs ${hourLabel(hs, byWeek)} synthetic`;
    return `${head}; ${busiest}`;
  });
}

function rateCheck(scope: string, figure: string, noun: string, p: number, s: number, tolerance: number): ValidationCheck {
  const value = Math.abs(s - p);
  return check(scope, figure, 'abs_diff', value, tolerance, p, s, (pass) =>
    `${noun} ${pass ? 'matches' : 'differs'}: ${pct(s)} synthetic vs ${pct(p)} in production ` +
    `(gap ${points(value)} points ${pass ? '<=' : '>'} ${points(tolerance)})`,
  );
}

function peakCheck(scope: string, p: number, s: number, tolerance: number): ValidationCheck {
  // Relative to production; with no production traffic any synthetic peak is entirely off.
  const value = p === 0 ? (s === 0 ? 0 : 1) : Math.abs(s - p) / p;
  return check(scope, 'peak_rps', 'rel_diff', value, tolerance, p, s, (pass) =>
    `peak page rate ${pass ? 'matches' : 'differs'}: ${round(s, 2)}/s synthetic vs ${round(p, 2)}/s in production ` +
    `(${pct(value)} off ${pass ? '<=' : '>'} ${pct(tolerance)})`,
  );
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function hourLabel(h: number, byWeek: boolean): string {
  const hh = `${String(h % HOURS_PER_DAY).padStart(2, '0')}:00 UTC`;
  return byWeek ? `${WEEKDAYS[Math.floor(h / HOURS_PER_DAY)] ?? '?'} ${hh}` : hh;
}

function argmax(v: readonly number[]): number {
  let best = 0;
  v.forEach((x, i) => {
    if (x > (v[best] ?? -Infinity)) best = i;
  });
  return best;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Statistic with enough digits to compare with its tolerance. */
function fmt(v: number): string {
  return String(round(v, v !== 0 && Math.abs(v) < 0.01 ? 4 : 3));
}

function pct(share: number): string {
  return `${round(share * 100, 1)}%`;
}

function points(share: number): string {
  return String(round(share * 100, 1));
}

function times(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : round(ratio, 1)}x`;
}
