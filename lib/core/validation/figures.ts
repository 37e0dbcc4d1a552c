/**
 * The figures both sides of a validation are reduced to (production traffic on one side; traffic
 * simulated from the model, or captured from a load test, on the other), and a reference
 * implementation that computes them in JS from session records. At scale the same figures come
 * from SQL over the canonical requests/sessions tables; the definitions below are the contract
 * both implementations follow.
 *
 * Every figure is over page requests: static assets are excluded everywhere, because their volume
 * depends on browser caches and the model replays them as resources of pages, not as endpoints.
 */
import { DEFAULTS } from '../config';
import { OTHER_STATE, type TrafficModel } from '../types';

/** Figures of one slice of traffic (all of it, or one persona). Plain data: JSON round-trips. */
export interface SliceFigures {
  /** Page requests per endpoint, keyed `METHOD /template` (see {@link endpointKey}). */
  endpointCounts: Record<string, number>;
  /** Page requests of each session (one value per session, sessions without pages give 0). */
  requestsPerSession: number[];
  /**
   * Think times in seconds: the next page request's start minus the previous page response's end,
   * within a session; negative gaps (overlapping requests) count as 0, gaps above
   * `DEFAULTS.model.maxThinkSeconds` are left out (the user left and came back).
   */
  thinkTimes: number[];
  /** Session starts per hour of week (168 values, Monday 00:00-01:00 UTC first), as counts. */
  arrivalsByHourOfWeek: number[];
  /** Share of pages answered with status >= `DEFAULTS.validation.errorStatusMin`. */
  errorRate: number;
  /** Share of pages sent with a method in `DEFAULTS.validation.writeMethods`. */
  writeRatio: number;
  /** Most pages started in one `peakBucketSeconds` bucket, divided by the bucket length. */
  peakRps: number;
  /** Sessions counted. */
  sessions: number;
  /** Page requests counted. */
  pages: number;
  /**
   * Length of the observed window in seconds: decides whether arrival shapes are compared per hour
   * of week (a week or more) or folded to hours of day.
   */
  windowSeconds: number;
}

/** Figures of a whole traffic sample, optionally broken down per persona. */
export interface TrafficFigures extends SliceFigures {
  perPersona?: Record<string, SliceFigures>;
}

/** One request of a session, as the simulator, a capture or a test builds it. */
export interface FigureRequest {
  /** Request start, epoch seconds. */
  readonly tStart: number;
  /** Response end, epoch seconds. */
  readonly tEnd: number;
  readonly method: string;
  /**
   * Path template (`/p/{id}`), or a filled path (`/p/123`) when `templateOf` maps it back. Named
   * `path` so the simulator's SimSession records can be passed as they are.
   */
  readonly path: string;
  readonly status: number;
  readonly isAsset: boolean;
}

export interface FigureSession {
  readonly persona: string;
  readonly requests: readonly FigureRequest[];
}

export interface FiguresOptions {
  /**
   * Maps a filled path back to its template (`/p/123` -> `/p/{id}`), e.g. {@link templateMatcher}
   * of the model; identity when absent (the paths already are templates).
   */
  readonly templateOf?: (path: string, method: string) => string;
  /** Observed window in epoch seconds; the span of the requests when absent. */
  readonly window?: { readonly start: number; readonly end: number };
  /** @default DEFAULTS.model.maxThinkSeconds */
  readonly maxThinkSeconds?: number;
  /** @default DEFAULTS.validation.peakBucketSeconds */
  readonly peakBucketSeconds?: number;
  /** @default DEFAULTS.validation.writeMethods */
  readonly writeMethods?: readonly string[];
  /** @default DEFAULTS.validation.errorStatusMin */
  readonly errorStatusMin?: number;
}

export const HOURS_PER_WEEK = 168;
export const HOURS_PER_DAY = 24;
export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_WEEK = 7 * 24 * SECONDS_PER_HOUR;

/** The key an endpoint is counted under: upper-case method, one space, template. */
export function endpointKey(method: string, template: string): string {
  return `${method.toUpperCase()} ${template}`;
}

/** Hour of week (0..167, Monday 00:00 UTC is 0) of an epoch-seconds instant. */
export function hourOfWeek(epochSeconds: number): number {
  const d = new Date(epochSeconds * 1000);
  // getUTCDay() counts from Sunday; the profile starts on Monday like ISO weeks.
  const dayFromMonday = (d.getUTCDay() + 6) % 7;
  return dayFromMonday * HOURS_PER_DAY + d.getUTCHours();
}

/** Folds an hour-of-week profile (168) into an hour-of-day profile (24) by summing the days. */
export function foldToHourOfDay(byHourOfWeek: readonly number[]): number[] {
  const out = new Array<number>(HOURS_PER_DAY).fill(0);
  byHourOfWeek.forEach((v, h) => {
    out[h % HOURS_PER_DAY] = (out[h % HOURS_PER_DAY] ?? 0) + v;
  });
  return out;
}

/** Accumulates one slice; `finish` turns the running sums into {@link SliceFigures}. */
class SliceAccumulator {
  readonly endpointCounts: Record<string, number> = {};
  readonly requestsPerSession: number[] = [];
  readonly thinkTimes: number[] = [];
  readonly arrivals = new Array<number>(HOURS_PER_WEEK).fill(0);
  readonly pagesPerBucket = new Map<number, number>();
  sessions = 0;
  pages = 0;
  errors = 0;
  writes = 0;
  minT = Infinity;
  maxT = -Infinity;

  finish(peakBucketSeconds: number, window: FiguresOptions['window']): SliceFigures {
    let peak = 0;
    for (const n of this.pagesPerBucket.values()) peak = Math.max(peak, n);
    const span = window ? window.end - window.start : this.maxT - this.minT;
    return {
      endpointCounts: this.endpointCounts,
      requestsPerSession: this.requestsPerSession,
      thinkTimes: this.thinkTimes,
      arrivalsByHourOfWeek: this.arrivals,
      errorRate: this.pages === 0 ? 0 : this.errors / this.pages,
      writeRatio: this.pages === 0 ? 0 : this.writes / this.pages,
      peakRps: peak / peakBucketSeconds,
      sessions: this.sessions,
      pages: this.pages,
      windowSeconds: Number.isFinite(span) ? Math.max(0, span) : 0,
    };
  }
}

/**
 * Computes {@link TrafficFigures} from session records, overall and per persona. Meant for small
 * samples (simulated sessions, tests): it holds every think time in memory. Requests inside a
 * session may come in any order; they are sorted by start time.
 */
export function figuresFromSessions(
  sessions: Iterable<FigureSession>,
  options: FiguresOptions = {},
): TrafficFigures {
  const templateOf = options.templateOf ?? ((p: string) => p);
  const maxThink = options.maxThinkSeconds ?? DEFAULTS.model.maxThinkSeconds;
  const bucket = options.peakBucketSeconds ?? DEFAULTS.validation.peakBucketSeconds;
  const writeMethods = new Set((options.writeMethods ?? DEFAULTS.validation.writeMethods).map((m) => m.toUpperCase()));
  const errorMin = options.errorStatusMin ?? DEFAULTS.validation.errorStatusMin;
  if (!(bucket > 0)) throw new RangeError(`peakBucketSeconds must be > 0, got ${bucket}`);

  const all = new SliceAccumulator();
  const personas = new Map<string, SliceAccumulator>();

  for (const session of sessions) {
    if (session.requests.length === 0) continue;
    let slice = personas.get(session.persona);
    if (!slice) {
      slice = new SliceAccumulator();
      personas.set(session.persona, slice);
    }
    const targets = [all, slice];
    const requests = [...session.requests].sort((a, b) => a.tStart - b.tStart);
    const start = (requests[0] as FigureRequest).tStart;
    const how = hourOfWeek(start);
    let pages = 0;
    let previousEnd: number | undefined;
    for (const r of requests) {
      for (const t of targets) {
        t.minT = Math.min(t.minT, r.tStart);
        t.maxT = Math.max(t.maxT, r.tEnd);
      }
      if (r.isAsset) continue;
      pages++;
      const key = endpointKey(r.method, templateOf(r.path, r.method));
      const b = Math.floor(r.tStart / bucket);
      const isError = r.status >= errorMin;
      const isWrite = writeMethods.has(r.method.toUpperCase());
      const think = previousEnd === undefined ? undefined : Math.max(0, r.tStart - previousEnd);
      for (const t of targets) {
        t.endpointCounts[key] = (t.endpointCounts[key] ?? 0) + 1;
        t.pagesPerBucket.set(b, (t.pagesPerBucket.get(b) ?? 0) + 1);
        t.pages++;
        if (isError) t.errors++;
        if (isWrite) t.writes++;
        if (think !== undefined && think <= maxThink) t.thinkTimes.push(think);
      }
      previousEnd = r.tEnd;
    }
    for (const t of targets) {
      t.sessions++;
      t.requestsPerSession.push(pages);
      t.arrivals[how] = (t.arrivals[how] ?? 0) + 1;
    }
  }

  const overall = all.finish(bucket, options.window);
  const perPersona: Record<string, SliceFigures> = {};
  for (const [name, slice] of [...personas].sort(([a], [b]) => a.localeCompare(b))) {
    // A persona is observed over the whole window, not just between its own first and last request.
    perPersona[name] = { ...slice.finish(bucket, options.window), windowSeconds: overall.windowSeconds };
  }
  return { ...overall, perPersona };
}

const HTTP_METHOD_PREFIX = /^([A-Z]+) (\/.*)$/;
const PARAM = /\{[^}]*\}/g;

interface CompiledTemplate {
  method: string;
  template: string;
  re: RegExp;
  /** Characters outside parameters: the more, the more specific (`/p/new` beats `/p/{id}`). */
  literal: number;
}

/**
 * Builds a `templateOf` for {@link figuresFromSessions} from a model: a filled path maps to the
 * most specific state template (of any persona, `other` templates included) that matches it with
 * the same method, else with any method. A path no template matches keeps its shape with query
 * values dropped (`/x?a=1` -> `/x?a={a}`), so it shows up as an endpoint of its own and no raw
 * value reaches validation.json.
 */
export function templateMatcher(model: TrafficModel): (path: string, method: string) => string {
  const seen = new Set<string>();
  const bySegments = new Map<number, CompiledTemplate[]>();
  const add = (method: string, template: string): void => {
    const key = endpointKey(method, template);
    if (seen.has(key)) return;
    seen.add(key);
    // Braces are not escaped, so parameters survive escaping and become one-segment wildcards.
    const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    const re = new RegExp(`^${escaped.replace(PARAM, '[^/?&]+')}$`);
    const list = bySegments.get(segments(template)) ?? [];
    list.push({ method: method.toUpperCase(), template, re, literal: template.replace(PARAM, '').length });
    bySegments.set(segments(template), list);
  };
  for (const persona of model.personas) {
    for (const state of persona.states) {
      if (state.path === OTHER_STATE) {
        for (const t of state.templates ?? []) {
          const m = HTTP_METHOD_PREFIX.exec(t);
          if (m) add(m[1] as string, m[2] as string);
          else add(state.method, t);
        }
      } else {
        add(state.method, state.path);
      }
    }
  }
  for (const list of bySegments.values()) list.sort((a, b) => b.literal - a.literal);
  // Paths repeat (parameter values come from small pools): each is matched once.
  const matched = new Map<string, string>();
  return (path, method) => {
    const key = `${method} ${path}`;
    let template = matched.get(key);
    if (template === undefined) {
      const candidates = bySegments.get(segments(path)) ?? [];
      const upper = method.toUpperCase();
      const hit =
        candidates.find((c) => c.method === upper && c.re.test(path)) ?? candidates.find((c) => c.re.test(path));
      template = hit ? hit.template : withoutQueryValues(path);
      matched.set(key, template);
    }
    return template;
  };
}

function segments(path: string): number {
  return (path.split('?')[0] ?? path).split('/').length;
}

function withoutQueryValues(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  const keys = path
    .slice(q + 1)
    .split('&')
    .map((kv) => kv.split('=')[0] ?? '')
    .filter((k) => k !== '')
    .sort();
  return keys.length === 0 ? path.slice(0, q) : `${path.slice(0, q)}?${keys.map((k) => `${k}={${k}}`).join('&')}`;
}
