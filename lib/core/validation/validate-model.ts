/**
 * The model check every run makes: simulate sessions from model.json (the `simulate` engine), reduce
 * them to the same figures as production, and compare figure by figure. A failing check says which
 * part of the model does not reproduce production (mix, session depth, think times, arrivals, rates).
 */
import { DEFAULTS } from '../config';
import { simulateSessions } from '../simulate/simulate';
import type { TrafficModel, ValidationReport } from '../types';
import { compareFigures } from './compare';
import { expectedPeakRps } from './expected-peak';
import { figuresFromSessions, templateMatcher, type TrafficFigures } from './figures';

export interface ModelCheckInput {
  model: TrafficModel;
  production: TrafficFigures;
  seed: number;
  /** Sessions to simulate. @default min(production sessions, DEFAULTS.validation.simulatedSessions) */
  sessions?: number;
  clock: { now(): Date };
}

export function validateModel(input: ModelCheckInput): ValidationReport {
  const { model, production } = input;
  const v = DEFAULTS.validation;
  const sessions = input.sessions ?? Math.max(1, Math.min(production.sessions, v.simulatedSessions));
  const window = { start: Date.parse(model.window.start) / 1000, end: Date.parse(model.window.end) / 1000 };
  const simulated = [...simulateSessions(model, { sessions, seed: input.seed })];
  const figures = figuresFromSessions(simulated, { templateOf: templateMatcher(model), window });
  // Shares and distributions need no scaling; the peak rate is production's size (expected-peak.ts).
  const peakRps = expectedPeakRps(model, simulated, { peakBucketSeconds: v.peakBucketSeconds, draws: v.peakDraws, seed: input.seed });
  return compareFigures(production, { ...figures, peakRps }, v.tolerances, 'model', { clock: input.clock });
}
