/**
 * The model check every run makes: simulate sessions from model.json (the `simulate` engine), reduce
 * them to the same figures as production, and compare figure by figure. A failing check says which
 * part of the model does not reproduce production (mix, session depth, think times, arrivals, rates).
 *
 * The simulation needs only the model and production's session count, so a caller holding the
 * production figures as pending SQL can simulate while the queries run (`simulateModel`, then
 * `checkModel`); `validateModel` is the two in one.
 */
import { DEFAULTS } from '../config';
import { simulateSessions } from '../simulate/simulate';
import type { TrafficModel, ValidationReport } from '../types';
import { compareFigures } from './compare';
import { expectedPeakRps } from './expected-peak';
import { figuresFromSessions, templateMatcher, type TrafficFigures } from './figures';

/** The model check's seed, locally and on AWS: same model, same verdict. */
export const MODEL_CHECK_SEED = 20_261_128;

export interface SimulateModelOptions {
  /** Sessions production holds; the simulation runs as many, up to DEFAULTS.validation.simulatedSessions. */
  productionSessions: number;
  /** Sessions to simulate instead. */
  sessions?: number;
  /** @default MODEL_CHECK_SEED */
  seed?: number;
}

/** The figures of traffic simulated from the model, with the peak rate production's size would have. */
export function simulateModel(model: TrafficModel, options: SimulateModelOptions): TrafficFigures {
  const v = DEFAULTS.validation;
  const seed = options.seed ?? MODEL_CHECK_SEED;
  const sessions = options.sessions ?? Math.max(1, Math.min(options.productionSessions, v.simulatedSessions));
  const window = { start: Date.parse(model.window.start) / 1000, end: Date.parse(model.window.end) / 1000 };
  const simulated = [...simulateSessions(model, { sessions, seed, pagesOnly: true })];
  const figures = figuresFromSessions(simulated, { templateOf: templateMatcher(model), window });
  // Shares and distributions need no scaling; the peak rate is production's size (expected-peak.ts).
  const peakRps = expectedPeakRps(model, simulated, { peakBucketSeconds: v.peakBucketSeconds, draws: v.peakDraws, seed });
  return { ...figures, peakRps };
}

/** Production against the simulated figures, check by check. */
export function checkModel(production: TrafficFigures, simulated: TrafficFigures, clock: { now(): Date }): ValidationReport {
  return compareFigures(production, simulated, DEFAULTS.validation.tolerances, 'model', { clock });
}

export interface ModelCheckInput {
  model: TrafficModel;
  production: TrafficFigures;
  /** @default MODEL_CHECK_SEED */
  seed?: number;
  /** Sessions to simulate. @default min(production sessions, DEFAULTS.validation.simulatedSessions) */
  sessions?: number;
  clock: { now(): Date };
}

export function validateModel(input: ModelCheckInput): ValidationReport {
  const { model, production } = input;
  const simulated = simulateModel(model, {
    productionSessions: production.sessions,
    ...(input.sessions !== undefined ? { sessions: input.sessions } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
  });
  return checkModel(production, simulated, input.clock);
}
