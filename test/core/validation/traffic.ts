/**
 * A small seeded traffic generator for validation tests: two personas with known endpoint mixes,
 * think times and a day-shaped arrival curve, as session records figuresFromSessions reads.
 */
import type { FigureRequest, FigureSession } from '../../../lib/core/validation/figures';
import { seededRandom } from '../../../lib/core/personas/random';

/** The project's seeded generator (mulberry32), so a seed always yields the same numbers. */
export const rng = seededRandom;

/** Monday 2026-11-02 00:00 UTC. */
export const DAY_START = Date.UTC(2026, 10, 2) / 1000;

const PAGES = {
  browser: [
    ['GET', '/'],
    ['GET', '/c/{category}'],
    ['GET', '/p/{id}'],
  ],
  buyer: [
    ['GET', '/p/{id}'],
    ['POST', '/cart'],
    ['POST', '/payment'],
  ],
} as const;

export interface TrafficShape {
  sessions: number;
  /** Share of sessions that are buyers. */
  buyerShare: number;
  /** Mean think time in seconds (exponential). */
  meanThink: number;
  /** Probability a page fails with a 500. */
  errorProbability: number;
}

export const PRODUCTION_SHAPE: TrafficShape = { sessions: 1500, buyerShare: 0.2, meanThink: 12, errorProbability: 0.01 };

/** Generates sessions within one day, arrivals peaking in the afternoon. */
export function generateSessions(seed: number, shape: TrafficShape = PRODUCTION_SHAPE): FigureSession[] {
  const r = rng(seed);
  const out: FigureSession[] = [];
  for (let s = 0; s < shape.sessions; s++) {
    const persona = r() < shape.buyerShare ? 'buyer' : 'browser';
    // Afternoon-heavy arrivals: mean of two uniforms, squeezed towards 15:00.
    const hour = Math.min(23.99, 15 + (r() + r() - 1) * 9);
    let t = DAY_START + hour * 3600;
    const pages = 1 + Math.floor(r() * (persona === 'buyer' ? 5 : 8));
    const requests: FigureRequest[] = [];
    for (let i = 0; i < pages; i++) {
      const [method, template] = PAGES[persona][Math.floor(r() * 3)] ?? ['GET', '/'];
      const status = r() < shape.errorProbability ? 500 : 200;
      requests.push({ tStart: t, tEnd: t + 0.05, method, path: template, status, isAsset: false });
      requests.push({ tStart: t + 0.06, tEnd: t + 0.08, method: 'GET', path: '/static/app.js', status: 200, isAsset: true });
      t += 0.1 - shape.meanThink * Math.log(1 - r());
    }
    out.push({ persona, requests });
  }
  return out;
}
