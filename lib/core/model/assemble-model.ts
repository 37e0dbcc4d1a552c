/**
 * Model assembly: per-persona aggregates from the statistics SQL into `model.json` (TrafficModel).
 * Pure: rows in, model out. Probabilities are normalised here so every chain row sums to exactly 1;
 * parameter pools are redacted here, before anything is written.
 */
import { isSensitiveValue } from '../redact';
import { EXIT_STATE, OTHER_STATE, OTHER_WRITE_STATE, type Distribution, type ModelState, type PersonaModel, type TrafficModel } from '../types';
import { QUANTILE_POINTS } from './persona-stats-sql';

export interface StateRow { persona: string; state: string; endpoint: string; n: number; share: number; rt_p50: number | null; rt_p90: number | null; rt_p99: number | null; error_rate: number; think_n: number; think_mean: number | null; think_q: number[] | null }
export interface TransitionRow { persona: string; from_state: string; to_state: string; n: number }
export interface ResourceRow { persona: string; state: string; resource: string; share: number }
export interface PersonaRow { persona: string; sessions: number; sampled_sessions: number; requests_q: number[]; requests_mean: number; duration_q: number[]; duration_mean: number; error_rate: number | null; write_ratio: number | null; think_q: number[] | null; think_mean: number | null; think_n: number }
export interface CountRow { persona: string; bucket?: number; hour_of_week?: number; n: number }
export interface ParamRow { persona: string; param: string; value: string; n: number }

export interface ModelInput {
  generatedAt: string;
  window: { start: number; end: number };
  bucketSeconds: number;
  productionHosts: string[];
  personas: { name: string; isBot: boolean }[];
  states: StateRow[];
  transitions: TransitionRow[];
  resources: ResourceRow[];
  personaStats: PersonaRow[];
  arrivals: CountRow[];
  hourOfWeek: CountRow[];
  params: ParamRow[];
  minStateThinkSamples: number;
  paramPoolSize: number;
  paramDenyList: readonly RegExp[];
}

const ENTRY = '$entry';

export function assembleModel(input: ModelInput): TrafficModel {
  const totalSessions = input.personaStats.reduce((a, p) => a + p.sessions, 0);
  const buckets = Math.max(1, Math.ceil((input.window.end - input.window.start) / input.bucketSeconds));
  const weeks = Math.max(1, (input.window.end - input.window.start) / (7 * 86400));
  const personas: PersonaModel[] = [];
  for (const p of input.personas) {
    const stats = input.personaStats.find((s) => s.persona === p.name);
    if (!stats || stats.sessions === 0) continue;
    const ids = stateIds(input.states.filter((s) => s.persona === p.name));
    const states = buildStates(input, p.name, ids);
    const rows = input.transitions.filter((t) => t.persona === p.name);
    personas.push({
      name: p.name,
      share: round(stats.sessions / totalSessions),
      sessions: stats.sessions,
      sampledSessions: stats.sampled_sessions,
      isBot: p.isBot,
      states,
      entry: normalise(rows.filter((r) => r.from_state === ENTRY).map((r) => [ids.get(r.to_state)!, r.n])),
      transitions: Object.fromEntries(
        [...ids].map(([key, id]) => [
          id,
          normalise(rows.filter((r) => r.from_state === key).map((r) => [r.to_state === EXIT_STATE ? EXIT_STATE : ids.get(r.to_state)!, r.n])),
        ]),
      ),
      thinkTime: distribution(stats.think_q, stats.think_mean),
      arrivals: {
        bucketSeconds: input.bucketSeconds,
        start: new Date(input.window.start * 1000).toISOString(),
        counts: dense(input.arrivals.filter((a) => a.persona === p.name), 'bucket', buckets),
        hourOfWeek: dense(input.hourOfWeek.filter((a) => a.persona === p.name), 'hour_of_week', 168).map((n) => round(n / weeks)),
        dispersionIndex: 0,
      },
      params: pools(input, p.name),
      requestsPerSession: distribution(stats.requests_q, stats.requests_mean),
      durationSeconds: distribution(stats.duration_q, stats.duration_mean),
      errorRate: round(stats.error_rate ?? 0),
      writeRatio: round(stats.write_ratio ?? 0),
    });
    const last = personas[personas.length - 1]!;
    last.arrivals.dispersionIndex = round(dispersion(last.arrivals.counts));
  }
  return {
    schemaVersion: 1,
    generatedAt: input.generatedAt,
    window: { start: new Date(input.window.start * 1000).toISOString(), end: new Date(input.window.end * 1000).toISOString() },
    productionHosts: input.productionHosts,
    personas,
  };
}

const MERGED = new Set<string>([OTHER_STATE, OTHER_WRITE_STATE]);

/** Stable state ids: `s1`, `s2`, ... by descending traffic, the merged states last under their names. */
function stateIds(rows: readonly StateRow[]): Map<string, string> {
  const byState = new Map<string, number>();
  for (const r of rows) byState.set(r.state, (byState.get(r.state) ?? 0) + r.n);
  const ordered = [...byState].filter(([s]) => !MERGED.has(s)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const ids = new Map(ordered.map(([s], i) => [s, `s${i + 1}`]));
  for (const merged of MERGED) if (byState.has(merged)) ids.set(merged, merged);
  return ids;
}

/** `GET /p/{id}` -> ['GET', '/p/{id}']. */
function splitEndpoint(endpoint: string): [string, string] {
  const space = endpoint.indexOf(' ');
  return [endpoint.slice(0, space), endpoint.slice(space + 1)];
}

function buildStates(input: ModelInput, persona: string, ids: Map<string, string>): ModelState[] {
  const rows = input.states.filter((s) => s.persona === persona);
  const out: ModelState[] = [];
  for (const [key, id] of ids) {
    const members = rows.filter((r) => r.state === key);
    const n = members.reduce((a, r) => a + r.n, 0);
    // A total order (the SQL rows come in any order): float sums below then add up the same way every run.
    const main = members.sort((a, b) => b.n - a.n || a.endpoint.localeCompare(b.endpoint))[0]!;
    const weighted = (f: (r: StateRow) => number | null) => round(members.reduce((a, r) => a + (f(r) ?? 0) * r.n, 0) / n);
    const merged = MERGED.has(key);
    const [method, path] = merged ? [main.endpoint.split(' ')[0]!, OTHER_STATE] : splitEndpoint(key);
    const state: ModelState = {
      id,
      method,
      path,
      resources: input.resources
        .filter((r) => r.persona === persona && r.state === key)
        .sort((a, b) => b.share - a.share || a.resource.localeCompare(b.resource))
        .map((r) => r.resource),
      share: round(members.reduce((a, r) => a + r.share, 0)),
      responseTimeMs: { p50: weighted((r) => r.rt_p50), p90: weighted((r) => r.rt_p90), p99: weighted((r) => r.rt_p99) },
      errorRate: weighted((r) => r.error_rate),
    };
    // The commonest member's method stands for a merged state (GET for reads, mostly POST for writes).
    if (merged) state.templates = [...new Set(members.map((m) => splitEndpoint(m.endpoint)[1]))].sort();
    if (!merged && main.think_n >= input.minStateThinkSamples && main.think_q) {
      state.thinkTime = distribution(main.think_q, main.think_mean);
    }
    out.push(state);
  }
  return out;
}

function normalise(pairs: [string, number][]): Record<string, number> {
  const merged = new Map<string, number>();
  for (const [k, n] of pairs) merged.set(k, (merged.get(k) ?? 0) + n);
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return { [EXIT_STATE]: 1 };
  const entries = [...merged].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const probs = entries.map(([k, n]) => [k, round(n / total)] as [string, number]);
  // Rounding must not break "rows sum to 1": the largest entry absorbs the remainder.
  const drift = 1 - probs.reduce((a, [, p]) => a + p, 0);
  probs[0]![1] = round(probs[0]![1] + drift);
  return Object.fromEntries(probs);
}

export function distribution(q: readonly number[] | null, mean: number | null): Distribution {
  const quantiles = q && q.length === QUANTILE_POINTS.length ? q.map(round) : QUANTILE_POINTS.map(() => 0);
  const at = (p: number) => quantiles[QUANTILE_POINTS.indexOf(p)] ?? 0;
  return { mean: round(mean ?? 0), p10: at(0.1), p50: at(0.5), p90: at(0.9), p99: interpolate(quantiles, 0.99), quantiles };
}

/** p99 lies between the 0.95 and 1.0 points: interpolate linearly. */
function interpolate(quantiles: readonly number[], p: number): number {
  const pos = p * (quantiles.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, quantiles.length - 1);
  return round((quantiles[lo] ?? 0) + ((quantiles[hi] ?? 0) - (quantiles[lo] ?? 0)) * (pos - lo));
}

function dense(rows: readonly CountRow[], key: 'bucket' | 'hour_of_week', length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (const r of rows) {
    const i = r[key];
    if (i !== undefined && i >= 0 && i < length) out[i]! += r.n;
  }
  return out;
}

/** Index of dispersion (variance / mean) of bucket counts: 1 for Poisson arrivals, > 1 bursty. */
export function dispersion(counts: readonly number[]): number {
  if (counts.length < 2) return 0;
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  if (mean === 0) return 0;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
  return variance / mean;
}

/**
 * A value that is a route's placeholder, not a value: API gateways log the route (`/pets/{petId}`),
 * and a load test must not send the braces.
 */
const PLACEHOLDER = /^\{[^{}]*\}$/;

function pools(input: ModelInput, persona: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const rows = input.params.filter((r) => r.persona === persona).sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
  for (const r of rows) {
    if (isSensitiveValue(r.value, input.paramDenyList) || PLACEHOLDER.test(r.value)) continue;
    const pool = (out[r.param] ??= []);
    if (pool.length < input.paramPoolSize) pool.push(r.value);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
