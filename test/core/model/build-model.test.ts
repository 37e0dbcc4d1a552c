/**
 * The traffic model recovers the truth it was generated from: per-persona transition rows within 0.05
 * total-variation distance, think-time medians within 10%, arrival curves correlated >= 0.9, assets
 * never states; a model from a bounded sample of each persona's sessions stays within the same bounds
 * of the full one; and profile -> simulate -> profile gives the same model within the same bounds.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { generateLogs } from '../../../lib/adapters/generate-logs';
import { checkModelInvariants, validateModelSchema } from '../../../lib/core/model/validate-model-schema';
import { demoWorld } from '../../../lib/core/simulate/demo-world';
import { isAssetPath } from '../../../lib/core/simulate/simulate';
import { EXIT_STATE, type PersonaModel, type TrafficModel } from '../../../lib/core/types';
import { cachedLogs } from '../../helpers/generated-logs';
import { endpointShape, profileWithTruth, truthModel } from '../../helpers/profile-with-truth';

/** Rows estimated from fewer transitions than this are dominated by sampling noise, not by the model. */
const MIN_ROW_OBSERVATIONS = 400;
const isBot = (p: string) => p === 'bot_crawler';

let engine: DuckDbEngine;
let model: TrafficModel;
const truth = demoWorld({ days: 7 });

beforeAll(async () => {
  const logs = await cachedLogs('week-alb-20k', { format: 'alb', sessions: 20_000, seed: 7, days: 7 });
  ({ engine, model } = await profileWithTruth(logs.logsDir, logs.truthFile, isBot));
}, 240_000);
afterAll(() => engine.close());

/** Transition rows keyed by endpoint shape, so `/p/{sku}` (truth) meets `/p/{slug}` (inferred). */
function rowsByShape(p: PersonaModel): Map<string, Map<string, number>> {
  const shape = new Map(p.states.map((s) => [s.id, endpointShape(s.method, s.path)]));
  const name = (id: string) => (id === EXIT_STATE ? EXIT_STATE : shape.get(id) ?? id);
  return new Map(
    Object.entries(p.transitions).map(([from, row]) => [name(from), new Map(Object.entries(row).map(([to, pr]) => [name(to), pr]))]),
  );
}

function totalVariation(a: Map<string, number>, b: Map<string, number>): number {
  const keys = new Set([...a.keys(), ...b.keys()]);
  let sum = 0;
  for (const k of keys) sum += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return sum / 2;
}

async function observations(persona: string): Promise<Map<string, number>> {
  const rows = await engine.query<{ endpoint: string; n: number }>(
    `SELECT e.endpoint, count(*) AS n FROM lp_events e JOIN truth_personas p ON p.sid = e.sid
     WHERE NOT e.is_asset AND p.persona = '${persona}' GROUP BY e.endpoint`,
  );
  const out = new Map<string, number>();
  for (const r of rows) {
    const [method, ...rest] = r.endpoint.split(' ');
    out.set(endpointShape(method!, rest.join(' ')), r.n);
  }
  return out;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const ma = a.slice(0, n).reduce((x, y) => x + y, 0) / n;
  const mb = b.slice(0, n).reduce((x, y) => x + y, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe.each(truth.personas.map((p) => [p.name, p] as const))('persona %s', (name, truePersona) => {
  const estimated = () => model.personas.find((p) => p.name === name)!;

  test('transition rows are within 0.05 total-variation distance of the truth', async () => {
    const seen = await observations(name);
    const want = rowsByShape(truePersona);
    const got = rowsByShape(estimated());
    let checked = 0;
    for (const [from, row] of want) {
      if ((seen.get(from) ?? 0) < MIN_ROW_OBSERVATIONS) continue;
      expect(totalVariation(row, got.get(from)!)).toBeLessThanOrEqual(0.05);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('the think-time median is within 10% of the truth', () => {
    expect(Math.abs(estimated().thinkTime.p50 - truePersona.thinkTime.p50) / truePersona.thinkTime.p50).toBeLessThanOrEqual(0.1);
  });

  test('the arrival curve follows the truth (correlation >= 0.9, or flat and the same level)', () => {
    const want = truePersona.arrivals.counts;
    const got = estimated().arrivals.counts;
    const variance = want.reduce((a, c) => a + (c - want[0]!) ** 2, 0);
    if (variance > 0) {
      expect(correlation(want, got)).toBeGreaterThanOrEqual(0.9);
    } else {
      // A flat truth has no shape to correlate with: the level must match instead.
      const mean = (xs: readonly number[]) => xs.slice(0, want.length).reduce((a, b) => a + b, 0) / want.length;
      const scale = model.personas.reduce((a, p) => a + p.sessions, 0) / truth.personas.reduce((a, p) => a + p.arrivals.counts.reduce((x, y) => x + y, 0), 0);
      expect(Math.abs(mean(got) - mean(want) * scale) / (mean(want) * scale)).toBeLessThan(0.15);
    }
  });
});

test('static assets are resources of pages, never Markov states', () => {
  for (const p of model.personas) {
    for (const s of p.states) expect(isAssetPath(s.path)).toBe(false);
  }
  const casual = model.personas.find((p) => p.name === 'casual_browser')!;
  const home = casual.states.find((s) => s.method === 'GET' && s.path === '/')!;
  expect(home.resources).toEqual(expect.arrayContaining(['/static/app.js', '/static/app.css']));
});

test('the model is valid against the JSON Schema and its invariants', () => {
  expect(validateModelSchema(JSON.parse(JSON.stringify(model)))).toEqual({ ok: true });
  expect(checkModelInvariants(model)).toEqual([]);
});

test('a model from a bounded sample of each persona\'s sessions stays close to the full one', async () => {
  // Given the same sessions, with page statistics capped at 1,500 sessions per persona
  const cap = 1_500;
  const sampled = await truthModel(engine, isBot, { maxSessionsPerPersona: cap });
  let capped = 0;
  for (const full of model.personas) {
    const part = sampled.personas.find((p) => p.name === full.name)!;
    // Then sizes, shares and arrival curves still count every session
    expect([part.sessions, part.share, part.arrivals.counts]).toEqual([full.sessions, full.share, full.arrivals.counts]);
    expect(full.sampledSessions).toBe(full.sessions);
    expect(part.sampledSessions).toBe(Math.min(cap, full.sessions));
    if (full.sessions > cap) capped++;
    // And the page-level estimates stay within the bounds the full model is held to against the truth
    expect(Math.abs(part.thinkTime.p50 - full.thinkTime.p50) / full.thinkTime.p50).toBeLessThanOrEqual(0.1);
    expect(Math.abs(part.requestsPerSession.mean - full.requestsPerSession.mean) / full.requestsPerSession.mean).toBeLessThanOrEqual(0.1);
    const seen = await observations(full.name);
    const a = rowsByShape(full);
    const b = rowsByShape(part);
    for (const [from, row] of a) {
      // The sample holds about cap / sessions of the rows' observations.
      if ((seen.get(from) ?? 0) * Math.min(1, cap / full.sessions) < MIN_ROW_OBSERVATIONS) continue;
      expect({ persona: full.name, from, tv: totalVariation(row, b.get(from) ?? new Map()) <= 0.05 }).toEqual({ persona: full.name, from, tv: true });
    }
  }
  expect(capped).toBeGreaterThanOrEqual(2);
  expect(validateModelSchema(JSON.parse(JSON.stringify(sampled)))).toEqual({ ok: true });
});

test('profile -> simulate -> profile round-trips within the same bounds', async () => {
  // Given the model profiled from production-like logs, simulated back into ALB logs
  const out = mkdtempSync(path.join(os.tmpdir(), 'lp-roundtrip-'));
  const sim = await generateLogs({ format: 'alb', outDir: out, sessions: 20_000, seed: 99, model });
  // When those logs are profiled again
  const again = await profileWithTruth(sim.logsDir, sim.truthFile!, isBot);
  try {
    // Then the second model matches the first
    for (const first of model.personas) {
      const second = again.model.personas.find((p) => p.name === first.name)!;
      expect(Math.abs(second.thinkTime.p50 - first.thinkTime.p50) / first.thinkTime.p50).toBeLessThanOrEqual(0.1);
      const a = rowsByShape(first);
      const b = rowsByShape(second);
      const seen = await again.engine.query<{ n: number; endpoint: string }>(
        `SELECT e.endpoint, count(*) AS n FROM lp_events e JOIN truth_personas p ON p.sid = e.sid
         WHERE NOT e.is_asset AND p.persona = '${first.name}' GROUP BY e.endpoint`,
      );
      const support = new Map(seen.map((r) => { const [m, ...rest] = r.endpoint.split(' '); return [endpointShape(m!, rest.join(' ')), r.n]; }));
      for (const [from, row] of a) {
        if ((support.get(from) ?? 0) < MIN_ROW_OBSERVATIONS) continue;
        expect(totalVariation(row, b.get(from) ?? new Map())).toBeLessThanOrEqual(0.05);
      }
      // A persona whose true arrivals are flat has only noise to correlate: its level is checked above.
      const trueCounts = truth.personas.find((p) => p.name === first.name)!.arrivals.counts;
      if (trueCounts.some((c) => c !== trueCounts[0])) {
        expect({ persona: first.name, r: correlation(first.arrivals.counts, second.arrivals.counts) >= 0.9 }).toEqual({ persona: first.name, r: true });
      }
    }
  } finally {
    again.engine.close();
  }
}, 300_000);
