/**
 * Drift between two runs: has production's traffic moved enough since run A that load tests written
 * from A no longer represent it? Compares personas (appeared, vanished, share moved), endpoints
 * (new or gone), think-time medians and the arrival profile, and turns what crossed a threshold
 * into plain-sentence reasons and a verdict: `refresh` the load tests, or `keep` them.
 */
import { DEFAULTS } from '../config';
import { UserError } from '../errors';
import { type DriftReport, OTHER_STATE, type PersonaModel, type PersonasFile, type TrafficModel } from '../types';
import {
  HOURS_PER_DAY,
  SECONDS_PER_HOUR,
  SECONDS_PER_WEEK,
  endpointKey,
  foldToHourOfDay,
  hourOfWeek,
} from './figures';
import { pearson } from './stats';

/** One run as drift sees it: its id and the two files that describe its traffic. */
export interface RunSnapshot {
  readonly runId: string;
  readonly model: TrafficModel;
  readonly personas: PersonasFile;
}

export type DriftThresholds = { readonly [K in keyof typeof DEFAULTS.drift]: number };

const HTTP_METHOD_PREFIX = /^[A-Z]+ \//;

/**
 * Diffs run B against run A. Personas are matched by name (names come from behaviour rules, so the
 * same behaviour keeps its name across runs). Everything that moved is listed in the report;
 * only what crosses a threshold (and is not negligible by share) becomes a reason to refresh.
 */
export function diffRuns(a: RunSnapshot, b: RunSnapshot, thresholds: DriftThresholds = DEFAULTS.drift): DriftReport {
  for (const run of [a, b]) {
    if (totalSessions(run.model) === 0) {
      throw new UserError(`run ${run.runId}: its model has no sessions, so there is no traffic to compare`);
    }
  }
  const reasons: string[] = [];
  const minor: string[] = [];
  const note = (significant: boolean, sentence: string): void => {
    (significant ? reasons : minor).push(sentence);
  };

  // Personas
  const sharesA = personaShares(a.personas);
  const sharesB = personaShares(b.personas);
  const appeared = [...sharesB.keys()].filter((n) => !sharesA.has(n)).sort();
  const vanished = [...sharesA.keys()].filter((n) => !sharesB.has(n)).sort();
  for (const name of appeared) {
    const share = sharesB.get(name) ?? 0;
    note(share >= thresholds.minPersonaShare, `persona ${name} appeared with ${pct(share)} of sessions: your load test never sends its traffic`);
  }
  for (const name of vanished) {
    const share = sharesA.get(name) ?? 0;
    note(share >= thresholds.minPersonaShare, `persona ${name} vanished (it had ${pct(share)} of sessions): your load test still sends its traffic`);
  }
  const shareChanged: DriftReport['personas']['shareChanged'] = [];
  for (const [name, from] of [...sharesA].sort(([x], [y]) => x.localeCompare(y))) {
    const to = sharesB.get(name);
    if (to === undefined) continue;
    const ratio = Math.max(from, to) / Math.min(from, to);
    if (Math.abs(to - from) > thresholds.personaShareAbs || ratio >= thresholds.personaShareRatio) {
      shareChanged.push({ name, from, to });
      const factor = from === 0 ? '' : ` (x${round(to / from, 2)})`;
      note(
        Math.max(from, to) >= thresholds.minPersonaShare,
        `persona ${name} went from ${pct(from)} to ${pct(to)} of sessions${factor}: the test's persona mix is stale`,
      );
    }
  }

  // Endpoints
  const endpointsA = endpointShares(a.model);
  const endpointsB = endpointShares(b.model);
  const endpointsAppeared = [...endpointsB.keys()].filter((k) => !endpointsA.has(k)).sort();
  const endpointsVanished = [...endpointsA.keys()].filter((k) => !endpointsB.has(k)).sort();
  for (const key of endpointsAppeared) {
    const share = endpointsB.get(key) ?? 0;
    note(share >= thresholds.endpointShareMin, `endpoint ${key} appeared (${pct(share)} of pages): your load test never calls it`);
  }
  for (const key of endpointsVanished) {
    const share = endpointsA.get(key) ?? 0;
    note(share >= thresholds.endpointShareMin, `endpoint ${key} vanished (it had ${pct(share)} of pages): your load test still calls it`);
  }

  // Think times
  const thinkTimeShift: DriftReport['thinkTimeShift'] = [];
  const modelPersonasB = new Map(b.model.personas.map((p) => [p.name, p]));
  for (const pa of [...a.model.personas].sort((x, y) => x.name.localeCompare(y.name))) {
    const pb = modelPersonasB.get(pa.name);
    if (!pb) continue;
    const fromP50 = pa.thinkTime.p50;
    const toP50 = pb.thinkTime.p50;
    const rel = fromP50 === 0 ? (toP50 === 0 ? 0 : Infinity) : Math.abs(toP50 - fromP50) / fromP50;
    if (rel > thresholds.thinkTimeRel) {
      thinkTimeShift.push({ name: pa.name, fromP50, toP50 });
      note(
        Math.max(pa.share, pb.share) >= thresholds.minPersonaShare,
        `persona ${pa.name}'s median think time went from ${round(fromP50, 1)} s to ${round(toP50, 1)} s: ` +
          `the test paces its users ${toP50 < fromP50 ? 'too slowly' : 'too fast'}`,
      );
    }
  }

  // Arrivals
  const byWeek = windowSeconds(a.model) >= SECONDS_PER_WEEK && windowSeconds(b.model) >= SECONDS_PER_WEEK;
  const correlation = profileCorrelation(hourlyProfile(a.model, byWeek), hourlyProfile(b.model, byWeek));
  const over = byWeek ? 'per hour of week' : 'per hour of day, a window being shorter than a week';
  if (correlation < thresholds.arrivalCorrelation) {
    reasons.push(
      `the hourly arrival profile changed: correlation ${round(correlation, 3)} < ${thresholds.arrivalCorrelation} (${over}): the test's ramp follows the old daily pattern`,
    );
  }
  const rateA = sessionsPerHour(a.model);
  const rateB = sessionsPerHour(b.model);
  const volumeRatio = rateB / rateA;
  if (volumeRatio > 1 + thresholds.arrivalVolumeRel || volumeRatio < 1 / (1 + thresholds.arrivalVolumeRel)) {
    reasons.push(
      `session starts went from ${round(rateA, 1)} to ${round(rateB, 1)} per hour (x${round(volumeRatio, 2)}): the test's arrival rate is off by that much`,
    );
  }

  const verdict = reasons.length > 0 ? 'refresh' : 'keep';
  if (verdict === 'keep') {
    reasons.push(
      'no drift beyond thresholds: personas, endpoints, think times and arrivals still match' +
        (minor.length > 0 ? ` (${minor.length} minor change${minor.length === 1 ? '' : 's'} below thresholds: ${minor.join('; ')})` : ''),
    );
  }
  return {
    runA: a.runId,
    runB: b.runId,
    verdict,
    reasons,
    personas: { appeared, vanished, shareChanged },
    endpoints: { appeared: endpointsAppeared, vanished: endpointsVanished },
    thinkTimeShift,
    arrivalShift: { correlation, volumeRatio },
  };
}

function personaShares(file: PersonasFile): Map<string, number> {
  return new Map(file.personas.map((p) => [p.name, p.share]));
}

function totalSessions(model: TrafficModel): number {
  return model.personas.reduce((sum, p) => sum + p.sessions, 0);
}

function windowSeconds(model: TrafficModel): number {
  const s = (Date.parse(model.window.end) - Date.parse(model.window.start)) / 1000;
  return Number.isFinite(s) && s > 0 ? s : 0;
}

function sessionsPerHour(model: TrafficModel): number {
  // A window shorter than an hour (or unreadable) counts as one hour rather than dividing by ~0.
  return totalSessions(model) / Math.max(1, windowSeconds(model) / SECONDS_PER_HOUR);
}

/**
 * Share of all pages per endpoint (`METHOD /template`). A persona's pages are its sessions times
 * its mean requests per session; the merged `other` state spreads its share evenly over the
 * templates it stands for, so a rare endpoint does not look new when it graduates to a state.
 */
function endpointShares(model: TrafficModel): Map<string, number> {
  const weights = model.personas.map((p) => p.sessions * (p.requestsPerSession.mean > 0 ? p.requestsPerSession.mean : 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const out = new Map<string, number>();
  model.personas.forEach((persona, i) => {
    const w = total > 0 ? (weights[i] ?? 0) / total : 0;
    for (const [key, share] of stateEndpoints(persona)) out.set(key, (out.get(key) ?? 0) + w * share);
  });
  return out;
}

function stateEndpoints(persona: PersonaModel): [string, number][] {
  const out: [string, number][] = [];
  for (const state of persona.states) {
    if (state.path === OTHER_STATE || state.id === OTHER_STATE) {
      const templates = state.templates ?? [];
      for (const t of templates) {
        // `templates` may hold bare paths or full `METHOD /path` keys; accept both.
        out.push([HTTP_METHOD_PREFIX.test(t) ? t : endpointKey(state.method, t), state.share / templates.length]);
      }
    } else {
      out.push([endpointKey(state.method, state.path), state.share]);
    }
  }
  return out;
}

/**
 * Mean session starts per hour of week (or of day), summed over personas. Built from the bucketed
 * counts when the buckets nest in hours, so each hour is averaged over the times the window really
 * covered it (hours the window never saw are `undefined`, not 0); from `hourOfWeek` otherwise.
 */
function hourlyProfile(model: TrafficModel, byWeek: boolean): (number | undefined)[] {
  const size = byWeek ? 7 * HOURS_PER_DAY : HOURS_PER_DAY;
  const nested = model.personas.every(
    (p) => p.arrivals.bucketSeconds > 0 && SECONDS_PER_HOUR % p.arrivals.bucketSeconds === 0,
  );
  if (!nested) {
    const week = new Array<number>(7 * HOURS_PER_DAY).fill(0);
    for (const p of model.personas) p.arrivals.hourOfWeek.forEach((v, h) => (week[h] = (week[h] ?? 0) + v));
    return byWeek ? week : foldToHourOfDay(week).map((v) => v / 7);
  }
  // Merge personas by bucket start so a bucket's coverage is counted once however many personas share it.
  const buckets = new Map<number, { count: number; seconds: number }>();
  for (const p of model.personas) {
    const start = Date.parse(p.arrivals.start) / 1000;
    p.arrivals.counts.forEach((count, i) => {
      const t = start + i * p.arrivals.bucketSeconds;
      const b = buckets.get(t) ?? { count: 0, seconds: p.arrivals.bucketSeconds };
      b.count += count;
      buckets.set(t, b);
    });
  }
  const sums = new Array<number>(size).fill(0);
  const hoursCovered = new Array<number>(size).fill(0);
  for (const [t, b] of buckets) {
    const h = byWeek ? hourOfWeek(t) : hourOfWeek(t) % HOURS_PER_DAY;
    sums[h] = (sums[h] ?? 0) + b.count;
    hoursCovered[h] = (hoursCovered[h] ?? 0) + b.seconds / SECONDS_PER_HOUR;
  }
  return sums.map((s, h) => ((hoursCovered[h] ?? 0) > 0 ? s / (hoursCovered[h] ?? 1) : undefined));
}

/** Correlation over the hours both profiles observed. */
function profileCorrelation(a: (number | undefined)[], b: (number | undefined)[]): number {
  const x: number[] = [];
  const y: number[] = [];
  a.forEach((va, h) => {
    const vb = b[h];
    if (va !== undefined && vb !== undefined) {
      x.push(va);
      y.push(vb);
    }
  });
  return pearson(x, y);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function pct(share: number): string {
  return `${round(share * 100, 1)}%`;
}
