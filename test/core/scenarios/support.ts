/**
 * Test support for the scenario tests: the fixture model, an independent oracle for the page mix a
 * model implies (a long seeded simulation of its chains, not the code under test), Jensen-Shannon
 * divergence, and mapping received requests back to templates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrafficModel } from '../../../lib/core/types';
import { templatePattern } from '../../../lib/demo-target/server';
import { seededRandom } from '../../../lib/core/personas/random';

export const FIXTURE = join(__dirname, '../../fixtures/scenarios/model.json');

export function fixtureModel(): TrafficModel {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as TrafficModel;
}

/** The project's seeded generator (mulberry32), so a seed always yields the same numbers. */
export const seeded = seededRandom;

function draw(row: Record<string, number>, rnd: () => number): string {
  let u = rnd() * Object.values(row).reduce((a, b) => a + b, 0);
  let last = '$exit';
  for (const [k, p] of Object.entries(row)) {
    last = k;
    u -= p;
    if (u < 0) return k;
  }
  return last;
}

/**
 * Expected page mix ("METHOD /template" -> share) by simulating `sessions` walks per persona and
 * weighting each persona by its share of session starts (the sum of its arrival counts).
 * `skip` removes states from the walk's output only (what a target never sees).
 */
export function simulatedMix(
  model: TrafficModel,
  opts: { sessions?: number; personas?: readonly string[]; dropState?: (method: string, path: string) => boolean } = {},
): Map<string, number> {
  const rnd = seeded(7);
  const mix = new Map<string, number>();
  const personas = model.personas.filter((p) => !opts.personas || opts.personas.includes(p.name));
  const starts = personas.map((p) => p.arrivals.counts.reduce((a, b) => a + b, 0));
  const totalStarts = starts.reduce((a, b) => a + b, 0);
  personas.forEach((p, i) => {
    const counts = new Map<string, number>();
    let pages = 0;
    const n = opts.sessions ?? 100_000;
    for (let s = 0; s < n; s++) {
      let state = draw(p.entry, rnd);
      while (state !== '$exit') {
        const st = p.states.find((x) => x.id === state)!;
        if (!opts.dropState?.(st.method, st.path)) {
          const key = `${st.method} ${st.path.split('?')[0]}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          pages++;
        }
        state = draw(p.transitions[state] ?? { $exit: 1 }, rnd);
      }
    }
    // Pages per session times session share: this persona's contribution to all pages.
    const weight = starts[i]! / totalStarts / n;
    for (const [k, c] of counts) mix.set(k, (mix.get(k) ?? 0) + c * weight);
    void pages;
  });
  return normalise(mix);
}

export function normalise(m: Map<string, number>): Map<string, number> {
  const total = [...m.values()].reduce((a, b) => a + b, 0);
  return new Map([...m].map(([k, v]) => [k, v / total]));
}

/** Jensen-Shannon divergence in bits (0 = identical, 1 = disjoint). */
export function jsd(p: Map<string, number>, q: Map<string, number>): number {
  const keys = new Set([...p.keys(), ...q.keys()]);
  let d = 0;
  for (const k of keys) {
    const a = p.get(k) ?? 0;
    const b = q.get(k) ?? 0;
    const m = (a + b) / 2;
    if (a > 0) d += 0.5 * a * Math.log2(a / m);
    if (b > 0) d += 0.5 * b * Math.log2(b / m);
  }
  return d;
}

export const isWrite = (key: string): boolean => !/^(GET|HEAD|OPTIONS) /.test(key);

export function writeRatio(mix: Map<string, number>): number {
  return [...mix].filter(([k]) => isWrite(k)).reduce((a, [, v]) => a + v, 0);
}

/** Maps received (method, path) to the model's page templates; resources and unknowns are left out. */
export function receivedMix(model: TrafficModel, received: readonly { method: string; path: string }[]): Map<string, number> {
  const pages = model.personas.flatMap((p) =>
    p.states.map((s) => ({ method: s.method, key: `${s.method} ${s.path.split('?')[0]}`, re: templatePattern(s.path) })),
  );
  const counts = new Map<string, number>();
  for (const r of received) {
    const hit = pages.find((p) => p.method === r.method && p.re.test(r.path));
    if (hit) counts.set(hit.key, (counts.get(hit.key) ?? 0) + 1);
  }
  return normalise(counts);
}
