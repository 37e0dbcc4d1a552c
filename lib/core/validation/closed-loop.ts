/**
 * The closed-loop check (`loadprint validate`): the traffic a load tool actually sent, profiled like
 * production, brought back to production's units and compared figure by figure.
 *
 * A scenario does not replay production's clock: it compresses the whole arrival curve into the test
 * duration, multiplies arrival rates by `scale`, and multiplies think times by THINK_SCALE. So:
 * - comparable as captured: endpoint mix, write ratio, error rate, pages per session, persona mix
 *   (shares and counts per session do not depend on the clock);
 * - rescaled: think times (divided by THINK_SCALE); session starts and page times (un-compressed: a
 *   test second is `compression` production seconds, from the start of production's window) for the
 *   hourly arrival shape; the peak page rate (pages per production bucket, divided by `scale`);
 * - not meaningful in a short run: the arrival shape and the peak rate when the compressed stages are
 *   shorter than a few sessions or hold too few session starts, and per-persona figures below the
 *   per-persona session minimum. Those are listed under `notAssessed` with the reason and what would
 *   make them assessable, never counted as passes.
 */
import { DEFAULTS } from '../config';
import type { ScenarioPlan } from '../scenarios/plan';
import type { Clock, PersonaModel, TrafficModel, ValidationCheck, ValidationReport } from '../types';
import { compareFigures, type Tolerances } from './compare';
import { HOURS_PER_WEEK, hourOfWeek, type SliceFigures, type TrafficFigures } from './figures';

const C = DEFAULTS.closedLoop;

/** Figures of a compared figure that this run cannot assess, and why. */
export interface NotAssessed {
  readonly figure: string;
  readonly scope: string;
  readonly says: string;
}

/** What the test did to production's clock, and how the captured traffic maps back. */
export interface CaptureUnits {
  readonly tool: 'locust' | 'artillery';
  readonly durationSeconds: number;
  readonly thinkScale: number;
  readonly scale: number;
  /** Production seconds per test second (the arrival curve's compression). */
  readonly compression: number;
  /** Production window start the compressed curve begins at (epoch seconds). */
  readonly productionStart: number;
  /** Stages the curve was compressed into, and how long each lasts in the test. */
  readonly stages: number;
  readonly stageSeconds: number;
  /** Mean session length in the test (think x THINK_SCALE + response), weighted by arrival rate. */
  readonly meanSessionSeconds: number;
  /** Sessions the plan expects over the test. */
  readonly expectedSessions: number;
  /** Sessions starting after this test offset (seconds) are cut short by the end of the test: left out. */
  readonly censorAfterSeconds: number;
}

/** The closed-loop validation.json: a ValidationReport plus what was run and what was not assessed. */
export interface ClosedLoopReport extends ValidationReport {
  readonly kind: 'closed-loop';
  readonly run: CaptureUnits & {
    readonly target: 'demo' | 'external';
    readonly capturedSessions: number;
    readonly censoredSessions: number;
    readonly untaggedSessions: number;
  };
  readonly notAssessed: NotAssessed[];
}

/** Mean expected production sessions per second of the planned personas (at scale 1). */
export function productionSessionRate(plan: ScenarioPlan): number {
  return plan.personas.reduce((a, p) => a + p.meanRatePerSecond, 0) / plan.scale;
}

/**
 * The scale that makes a test of `durationSeconds` hold about `targetSessions` sessions: production's
 * own rate compressed into a minute is a handful of sessions, too few to compare distributions.
 */
export function autoScale(sessionsPerSecondAtScale1: number, durationSeconds: number, targetSessions: number = C.targetSessions): number {
  if (!(sessionsPerSecondAtScale1 > 0)) return 1;
  const scale = targetSessions / (sessionsPerSecondAtScale1 * durationSeconds);
  return Math.min(C.maxAutoScale, Math.max(1, Number(scale.toPrecision(3))));
}

/** How the test's clock relates to production's, from the plan the scenario was compiled from. */
export function captureUnits(model: TrafficModel, plan: ScenarioPlan, thinkScale: number, tool: CaptureUnits['tool']): CaptureUnits {
  const first = plan.personas[0];
  const arrivals = model.personas.find((p) => p.name === first?.name)?.arrivals ?? model.personas[0]?.arrivals;
  const productionSeconds = arrivals ? Math.max(1, arrivals.counts.length) * arrivals.bucketSeconds : plan.durationSeconds;
  const stages = Math.max(1, first?.segments.length ?? 1);
  const rate = plan.personas.reduce((a, p) => a + p.meanRatePerSecond, 0);
  const meanSessionSeconds =
    rate > 0
      ? plan.personas.reduce((a, p) => a + p.meanRatePerSecond * (p.thinkSecondsPerSession * thinkScale + p.responseSecondsPerSession), 0) / rate
      : 0;
  return {
    tool,
    durationSeconds: plan.durationSeconds,
    thinkScale,
    scale: plan.scale,
    compression: productionSeconds / plan.durationSeconds,
    productionStart: Date.parse(arrivals?.start ?? model.window.start) / 1000,
    stages,
    stageSeconds: plan.durationSeconds / stages,
    meanSessionSeconds,
    expectedSessions: rate * plan.durationSeconds,
    censorAfterSeconds: plan.durationSeconds - censorSeconds(model.personas, plan, thinkScale),
  };
}

/** Test seconds at the end whose session starts are left out: a long session there is cut by the stop. */
function censorSeconds(personas: readonly PersonaModel[], plan: ScenarioPlan, thinkScale: number): number {
  const planned = new Set(plan.personas.map((p) => p.name));
  const q = Math.max(0, ...personas.filter((p) => planned.has(p.name)).map((p) => p.durationSeconds[C.censorDurationQuantile] * thinkScale));
  return Math.min(q, plan.durationSeconds * C.maxCensorShare);
}

/**
 * The user agent every compiled scenario sends names the persona and the session:
 * `Loadprint-locust/1.0 (persona buyer; session 7f3a-2)`. Undefined for anything else.
 */
export function parseScenarioAgent(userAgent: string): { persona: string; session: string } | undefined {
  const m = /^Loadprint(?:Bot)?-[a-z0-9]+\/[\d.]+ \(persona ([A-Za-z0-9_]+); session ([^)]+)\)$/.exec(userAgent);
  return m ? { persona: m[1] as string, session: m[2] as string } : undefined;
}

/** Persona name of each scenario tag (the plan's identifiers), for mapping captured sessions back. */
export function personaByTag(plan: ScenarioPlan): Map<string, string> {
  return new Map(plan.personas.map((p) => [p.ident, p.name]));
}

/** Test-clock instants of the captured traffic, offsets in seconds from the start of the test. */
export interface CapturedTimes {
  readonly sessionStarts: readonly { readonly persona: string; readonly t: number }[];
  readonly pageStarts: readonly { readonly persona: string; readonly t: number }[];
}

/**
 * Captured figures (profiled in test time) -> production units: think times divided by THINK_SCALE;
 * arrival profile and peak page rate recomputed from the test-clock offsets un-compressed onto
 * production's window, the peak divided by the scale. Everything else is returned as captured.
 */
export function toProductionUnits(captured: TrafficFigures, times: CapturedTimes, u: CaptureUnits): TrafficFigures {
  const bucket = DEFAULTS.validation.peakBucketSeconds;
  const maxThink = DEFAULTS.model.maxThinkSeconds;
  const slice = (f: SliceFigures, persona: string | undefined): SliceFigures => {
    const mine = <T extends { persona: string }>(xs: readonly T[]): readonly T[] => (persona === undefined ? xs : xs.filter((x) => x.persona === persona));
    const arrivals = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const s of mine(times.sessionStarts)) {
      const h = hourOfWeek(u.productionStart + s.t * u.compression);
      arrivals[h] = (arrivals[h] ?? 0) + 1;
    }
    const perBucket = new Map<number, number>();
    for (const p of mine(times.pageStarts)) {
      const b = Math.floor((p.t * u.compression) / bucket);
      perBucket.set(b, (perBucket.get(b) ?? 0) + 1);
    }
    const peak = Math.max(0, ...perBucket.values());
    return {
      ...f,
      thinkTimes: f.thinkTimes.map((t) => t / u.thinkScale).filter((t) => t <= maxThink),
      arrivalsByHourOfWeek: arrivals,
      peakRps: peak / u.scale / bucket,
      windowSeconds: u.durationSeconds * u.compression,
    };
  };
  const perPersona = captured.perPersona
    ? Object.fromEntries(Object.entries(captured.perPersona).map(([name, f]) => [name, slice(f, name)]))
    : undefined;
  return { ...slice(captured, undefined), ...(perPersona ? { perPersona } : {}) };
}

/** Why the arrival shape and peak rate cannot be judged from this run, or undefined when they can. */
export function timeFiguresUnassessable(u: CaptureUnits): string | undefined {
  const needStage = C.minStageSessionLengths * u.meanSessionSeconds;
  const perStage = u.expectedSessions / u.stages;
  const problems: string[] = [];
  if (u.stageSeconds < needStage) {
    problems.push(
      `the curve's ${u.stages} stages last ${round(u.stageSeconds, 1)} s each, shorter than ${C.minStageSessionLengths} sessions ` +
        `(${round(u.meanSessionSeconds, 1)} s each at THINK_SCALE ${u.thinkScale}), so sessions smear across stage edges; ` +
        `a --duration of at least ${Math.ceil(u.stages * needStage)}s would hold them`,
    );
  }
  if (perStage < C.minSessionsPerStage) {
    problems.push(`a stage holds ${round(perStage, 1)} session starts on average (at least ${C.minSessionsPerStage} needed); raise --scale or --duration`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

export interface ClosedLoopCompareInput {
  readonly production: TrafficFigures;
  /** Captured figures already in production units ({@link toProductionUnits}). */
  readonly synthetic: TrafficFigures;
  readonly units: CaptureUnits;
  readonly target: 'demo' | 'external';
  readonly counts: { readonly captured: number; readonly censored: number; readonly untagged: number };
  readonly clock: Clock;
  readonly tolerances?: Tolerances;
}

const TIME_FIGURES = new Set(['arrival_shape', 'peak_rps']);

/**
 * compareFigures(kind 'closed-loop'), then the figures this run cannot judge moved from `checks` to
 * `notAssessed` with their reason: the verdict rests only on figures the run can measure.
 */
export function closedLoopReport(input: ClosedLoopCompareInput): ClosedLoopReport {
  const { production, synthetic, units } = input;
  const compared = compareFigures(production, synthetic, input.tolerances ?? DEFAULTS.validation.tolerances, 'closed-loop', { clock: input.clock });
  const timeReason = timeFiguresUnassessable(units);
  const checks: ValidationCheck[] = [];
  const notAssessed: NotAssessed[] = [];
  for (const c of compared.checks) {
    if (timeReason && TIME_FIGURES.has(c.figure)) {
      notAssessed.push({ figure: c.figure, scope: c.scope, says: `${c.figure === 'peak_rps' ? 'peak page rate' : 'hourly arrival shape'} not assessed: ${timeReason}` });
    } else {
      checks.push(c);
    }
  }
  const minSessions = DEFAULTS.validation.minPersonaSessions;
  for (const name of Object.keys(production.perPersona ?? {}).sort()) {
    const s = synthetic.perPersona?.[name]?.sessions ?? 0;
    if (s < minSessions) {
      notAssessed.push({
        figure: 'persona_figures',
        scope: name,
        says: `persona ${name}: per-persona figures not assessed: ${s} captured sessions, ${minSessions} needed for a persona's figures to rise above sampling noise (the persona still counts in every whole-traffic figure and in the persona mix)`,
      });
    }
  }
  return {
    kind: 'closed-loop',
    generatedAt: compared.generatedAt,
    pass: checks.every((c) => c.pass),
    checks,
    notAssessed,
    run: {
      ...units,
      target: input.target,
      capturedSessions: input.counts.captured,
      censoredSessions: input.counts.censored,
      untaggedSessions: input.counts.untagged,
    },
  };
}

/** The figure-by-figure table `loadprint validate` prints. */
export function formatClosedLoopTable(report: ClosedLoopReport): string {
  const rows: string[][] = [['verdict', 'figure', 'scope', 'value', 'tolerance', 'production', 'synthetic']];
  for (const c of report.checks) {
    rows.push([c.pass ? 'PASS' : 'FAIL', c.figure, c.scope, num(c.value), `${c.metric === 'correlation' ? '>=' : '<='} ${num(c.tolerance)}`, num(c.production), num(c.synthetic)]);
  }
  for (const n of report.notAssessed) rows.push(['n/a', n.figure, n.scope, '-', '-', '-', '-']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  const failed = report.checks.filter((c) => !c.pass);
  const notes = [...failed.map((c) => `FAIL ${c.says}`), ...report.notAssessed.map((n) => `n/a  ${n.says}`)];
  const verdict = report.pass
    ? `closed loop PASSED: ${report.checks.length} figures within tolerance`
    : `closed loop FAILED: ${failed.length} of ${report.checks.length} figures outside tolerance (${[...new Set(failed.map((c) => c.figure))].join(', ')})`;
  return [...table, '', ...notes, ...(notes.length > 0 ? [''] : []), verdict].join('\n');
}

function num(v: number | null): string {
  if (v === null) return '-';
  return String(round(v, Math.abs(v) < 0.01 && v !== 0 ? 4 : 3));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
