/**
 * The scenario plan: model.json reduced to exactly what a load script needs, after the options are
 * applied (persona subset, bots, write safety, time compression, scale). The three compilers only
 * render a plan, so they cannot disagree on the mix, the curve or which writes are sent.
 */
import { DEFAULTS } from '../config';
import { OptionError } from '../errors';
import { EXIT_STATE, OTHER_STATE, type Distribution, type PersonaModel, type TrafficModel } from '../types';
import { censorChain, expectedVisits, normaliseChain, type Row } from './chain';
import { compileAllowWrites, type ScenarioOptions } from './options';

const S = DEFAULTS.scenarios;

/** Methods every tool can send; anything else in a log is left out (and said so). */
export const SUPPORTED_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Think-time quantiles in a plan are always this many, evenly spaced over [0, 1]. */
export const QUANTILE_POINTS = 21;

export interface PlannedState {
  readonly id: string;
  readonly method: string;
  /** Templates this state sends (one, or several for the merged `other` state). */
  readonly templates: readonly string[];
  /** The template a report or tag names this state by. */
  readonly label: string;
  readonly resources: readonly string[];
  readonly isWrite: boolean;
  /** Think-time quantiles after this page, when the model has them per state. */
  readonly think?: readonly number[];
  readonly responseP50Ms: number;
  readonly responseP90Ms: number;
  readonly errorRate: number;
}

export interface Segment {
  readonly startSeconds: number;
  readonly seconds: number;
  /** Session starts per second during this segment (production rate x scale). */
  readonly ratePerSecond: number;
}

export interface PlannedPersona {
  readonly name: string;
  /** snake_case identifier, safe as a JS function name and a k6 scenario key. */
  readonly ident: string;
  /** CamelCase Python class name. */
  readonly className: string;
  readonly isBot: boolean;
  readonly states: readonly PlannedState[];
  readonly entry: Row;
  readonly transitions: Readonly<Record<string, Row>>;
  readonly think: readonly number[];
  readonly params: Readonly<Record<string, readonly string[]>>;
  /** The arrival curve compressed into the test duration: a step per segment. */
  readonly segments: readonly Segment[];
  readonly meanRatePerSecond: number;
  readonly peakRatePerSecond: number;
  /** Expected pages per session. */
  readonly expectedPages: number;
  /** Expected think seconds per session at THINK_SCALE 1 (the chain's own, so scripts agree). */
  readonly thinkSecondsPerSession: number;
  /** Expected response seconds per session (production p50s), which THINK_SCALE does not shrink. */
  readonly responseSecondsPerSession: number;
  /** Expected page visits per session, by state id. */
  readonly visits: Readonly<Record<string, number>>;
  readonly errorRate: number;
  /** Conservative p90 for thresholds: the slowest frequently visited state's p90. */
  readonly responseP90Ms: number;
}

export interface DroppedTemplate {
  readonly persona: string;
  readonly endpoint: string;
  readonly reason: 'writes off' | 'dangerous' | 'unsupported method';
}

export interface ScenarioPlan {
  readonly generatedAt: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly productionHosts: readonly string[];
  readonly durationSeconds: number;
  readonly scale: number;
  readonly writes: ScenarioOptions['writes'];
  readonly allowWrites?: string;
  readonly dangerousTemplates: readonly string[];
  readonly personas: readonly PlannedPersona[];
  readonly dropped: readonly DroppedTemplate[];
}

export function buildPlan(model: TrafficModel, options: ScenarioOptions): ScenarioPlan {
  const chosen = choosePersonas(model, options);
  const allow = options.allowWrites === undefined ? undefined : compileAllowWrites(options.allowWrites);
  const dropped: DroppedTemplate[] = [];
  const idents = new Set<string>();
  const classes = new Set<string>();
  const personas = chosen.map((p) =>
    planPersona(p, options, allow, dropped, unique(snake(p.name), idents), unique(camel(p.name), classes)),
  );
  return {
    generatedAt: model.generatedAt,
    window: model.window,
    productionHosts: [...new Set(model.productionHosts.map((h) => h.toLowerCase()))].sort(),
    durationSeconds: options.durationSeconds,
    scale: options.scale,
    writes: options.writes,
    ...(options.allowWrites !== undefined ? { allowWrites: options.allowWrites } : {}),
    dangerousTemplates: options.dangerousTemplates,
    personas,
    dropped,
  };
}

function choosePersonas(model: TrafficModel, o: ScenarioOptions): PersonaModel[] {
  const known = new Set(model.personas.map((p) => p.name));
  for (const name of o.personas) {
    if (!known.has(name)) {
      throw new OptionError(`--personas: no persona "${name}" in model.json; known: ${[...known].join(', ')}`);
    }
  }
  const chosen = model.personas.filter(
    (p) => (o.personas.length === 0 || o.personas.includes(p.name)) && !(o.excludeBots && p.isBot),
  );
  if (chosen.length === 0) {
    throw new OptionError('no persona left to write scenarios for (check --personas and --exclude-bots)');
  }
  return chosen;
}

function planPersona(
  p: PersonaModel,
  o: ScenarioOptions,
  allow: RegExp | undefined,
  dropped: DroppedTemplate[],
  ident: string,
  className: string,
): PlannedPersona {
  const where = `model.json persona "${p.name}"`;
  const full = normaliseChain(p.states.map((s) => s.id), p.entry, p.transitions, where);
  const keep = new Set<string>();
  for (const s of p.states) {
    const method = s.method.toUpperCase();
    const endpoint = `${method} ${s.path}`;
    const templates = stateTemplates(s.path, s.templates);
    const isWrite = !SAFE_METHODS.has(method);
    const reason: DroppedTemplate['reason'] | undefined = !(SUPPORTED_METHODS as readonly string[]).includes(method)
      ? 'unsupported method'
      : isWrite && o.writes === 'off'
        ? 'writes off'
        : isWrite && isDangerous(method, templates, o.dangerousTemplates) && !templates.every((t) => allow?.test(`${method} ${t}`))
          ? 'dangerous'
          : undefined;
    if (reason) dropped.push({ persona: p.name, endpoint, reason });
    else if (templates.length > 0) keep.add(s.id);
  }
  const { chain, emptySessionShare } = censorChain(full, keep, where);
  const visits = expectedVisits(chain, where);
  const byId = new Map(p.states.map((s) => [s.id, s]));
  const states: PlannedState[] = chain.states.map((id) => {
    const s = byId.get(id)!;
    const method = s.method.toUpperCase();
    return {
      id,
      method,
      templates: stateTemplates(s.path, s.templates),
      label: s.path,
      resources: [...new Set(s.resources)],
      isWrite: !SAFE_METHODS.has(method),
      ...(s.thinkTime ? { think: quantileTable(s.thinkTime) } : {}),
      responseP50Ms: nonNegative(s.responseTimeMs.p50),
      responseP90Ms: nonNegative(s.responseTimeMs.p90),
      errorRate: clamp01(s.errorRate),
    };
  });
  const think = quantileTable(p.thinkTime);
  const expectedPages = sum(Object.values(visits));
  const thinkSecondsPerSession = sum(
    states.map((s) => (visits[s.id] ?? 0) * (1 - (chain.transitions[s.id]?.[EXIT_STATE] ?? 0)) * quantileMean(s.think ?? think)),
  );
  const responseSecondsPerSession = sum(states.map((s) => ((visits[s.id] ?? 0) * s.responseP50Ms) / 1000));
  const segments = compressArrivals(p, o, 1 - emptySessionShare);
  const totalSeconds = sum(segments.map((s) => s.seconds));
  const busy = states.filter((s) => (visits[s.id] ?? 0) / Math.max(expectedPages, Number.EPSILON) >= 0.05);
  return {
    name: p.name,
    ident,
    className,
    isBot: p.isBot,
    states,
    entry: chain.entry,
    transitions: chain.transitions,
    think,
    params: paramPools(p, states),
    segments,
    meanRatePerSecond: totalSeconds > 0 ? sum(segments.map((s) => s.ratePerSecond * s.seconds)) / totalSeconds : 0,
    peakRatePerSecond: Math.max(0, ...segments.map((s) => s.ratePerSecond)),
    expectedPages,
    thinkSecondsPerSession,
    responseSecondsPerSession,
    visits,
    errorRate: clamp01(
      expectedPages > 0 ? sum(states.map((s) => (visits[s.id] ?? 0) * s.errorRate)) / expectedPages : p.errorRate,
    ),
    responseP90Ms: Math.max(0, ...busy.map((s) => s.responseP90Ms)),
  };
}

function stateTemplates(path: string, templates: readonly string[] | undefined): string[] {
  if (path === OTHER_STATE) return (templates ?? []).filter((t) => t.startsWith('/'));
  return [path];
}

function isDangerous(method: string, templates: readonly string[], patterns: readonly string[]): boolean {
  return templates.some((t) => {
    const endpoint = `${method} ${t}`.toLowerCase();
    return patterns.some((p) => p !== '' && endpoint.includes(p.toLowerCase()));
  });
}

/**
 * The persona's arrival curve squeezed into the test: buckets merged down to at most `maxStages`
 * segments, each lasting an equal share of the duration, at production's rate times `scale`.
 * `keepShare` removes sessions that would have sent nothing (every page of them left out).
 */
export function compressArrivals(
  p: Pick<PersonaModel, 'arrivals'>,
  o: Pick<ScenarioOptions, 'durationSeconds' | 'scale'>,
  keepShare = 1,
): Segment[] {
  const counts = p.arrivals.counts.length > 0 ? p.arrivals.counts : [0];
  const bucketSeconds = p.arrivals.bucketSeconds > 0 ? p.arrivals.bucketSeconds : 1;
  const maxByDuration = Math.max(1, Math.floor(o.durationSeconds / S.minStageSeconds));
  const groups = Math.min(counts.length, S.maxStages, maxByDuration);
  const perGroup = counts.length / groups;
  const segments: Segment[] = [];
  let start = 0;
  for (let g = 0; g < groups; g++) {
    // Fractional group edges spread buckets evenly when they do not divide exactly; each segment
    // lasts in proportion to the buckets it holds, so the compressed curve keeps production's mean.
    const from = Math.round(g * perGroup);
    const to = Math.round((g + 1) * perGroup);
    const slice = counts.slice(from, to);
    const seconds = (o.durationSeconds * slice.length) / counts.length;
    const sessions = sum(slice.map((c) => (Number.isFinite(c) && c > 0 ? c : 0)));
    const rate = (sessions / (slice.length * bucketSeconds)) * o.scale * keepShare;
    segments.push({ startSeconds: start, seconds, ratePerSecond: rate });
    start += seconds;
  }
  return segments;
}

/**
 * Points of a piecewise-linear curve through the middle of each segment, flat at both ends: what
 * k6 stages and the Locust shape follow (a smooth version of the step curve with the same area).
 */
export function curvePoints(segments: readonly Segment[]): [number, number][] {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (!first || !last) return [[0, 0]];
  const points: [number, number][] = [[0, first.ratePerSecond]];
  for (const s of segments) points.push([s.startSeconds + s.seconds / 2, s.ratePerSecond]);
  points.push([last.startSeconds + last.seconds, last.ratePerSecond]);
  return points;
}

/** Little's law: concurrent sessions = arrival rate x mean session duration. */
export function littleUsers(ratePerSecond: number, persona: Pick<PlannedPersona, 'thinkSecondsPerSession' | 'responseSecondsPerSession'>, thinkScale: number): number {
  return ratePerSecond * (persona.thinkSecondsPerSession * thinkScale + persona.responseSecondsPerSession);
}

/** 21 evenly spaced quantiles; built from p10/p50/p90/p99 when the model has no full table. */
export function quantileTable(d: Distribution): number[] {
  const q = d.quantiles;
  if (q.length === QUANTILE_POINTS && q.every(Number.isFinite)) {
    return [...q].sort((a, b) => a - b).map(nonNegative);
  }
  const knots: [number, number][] = [
    [0, 0],
    [0.1, d.p10],
    [0.5, d.p50],
    [0.9, d.p90],
    [0.99, d.p99],
    [1, d.p99],
  ];
  const out: number[] = [];
  for (let i = 0; i < QUANTILE_POINTS; i++) out.push(nonNegative(interpolate(knots, i / (QUANTILE_POINTS - 1))));
  return out.map((v, i) => (i > 0 ? Math.max(v, out[i - 1] ?? 0) : v));
}

/** Mean of the distribution a quantile table describes when sampled by linear interpolation. */
export function quantileMean(q: readonly number[]): number {
  if (q.length < 2) return q[0] ?? 0;
  let area = 0;
  for (let i = 1; i < q.length; i++) area += (q[i - 1]! + q[i]!) / 2;
  return area / (q.length - 1);
}

function interpolate(points: readonly [number, number][], x: number): number {
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return points[points.length - 1]?.[1] ?? 0;
}

/** Pools for the placeholders the kept templates use, capped; values stay strings. */
function paramPools(p: PersonaModel, states: readonly PlannedState[]): Record<string, string[]> {
  const names = new Set<string>();
  for (const s of states) for (const t of [...s.templates, ...s.resources]) for (const m of t.matchAll(/\{([^{}]+)\}/g)) names.add(m[1]!);
  const pools: Record<string, string[]> = {};
  for (const name of [...names].sort()) {
    const values = p.params[`{${name}}`] ?? p.params[name] ?? [];
    pools[name] = values.slice(0, S.scriptParamPoolSize).map(String);
  }
  return pools;
}

const RESERVED = new Set([
  'default', 'setup', 'teardown', 'handlesummary', 'options', 'walk', 'visit', 'pick', 'sleep', 'check',
  'http', 'exec', 'await', 'class', 'delete', 'function', 'new', 'return', 'this', 'var', 'let', 'const',
  'import', 'export', 'if', 'else', 'for', 'while', 'do', 'in', 'of', 'switch', 'case', 'break', 'try',
  'catch', 'finally', 'throw', 'typeof', 'void', 'with', 'yield', 'enum', 'super', 'null', 'true', 'false',
]);

function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

function snake(name: string): string {
  const w = words(name).join('_').toLowerCase();
  return w === '' || /^[0-9]/.test(w) || RESERVED.has(w) ? `persona_${w}` : w;
}

function camel(name: string): string {
  const w = words(name).map((x) => x[0]!.toUpperCase() + x.slice(1).toLowerCase()).join('');
  return `${/^[0-9]/.test(w) || w === '' ? 'Persona' : ''}${w}User`;
}

function unique(base: string, taken: Set<string>): string {
  let name = base.replace(/_+$/, '') || 'persona';
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}
function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
