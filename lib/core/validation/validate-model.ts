/**
 * The model check every run makes: simulate sessions from model.json (the `simulate` engine), reduce
 * them to the same figures as production, and compare figure by figure. A failing check says which
 * part of the model does not reproduce production (mix, session depth, think times, arrivals, rates).
 */
import { DEFAULTS } from '../config';
import { simulateSessions } from '../simulate/simulate';
import type { TrafficModel, ValidationReport } from '../types';
import { compareFigures } from './compare';
import { figuresFromSessions, templateMatcher, type SliceFigures, type TrafficFigures } from './figures';

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
  const sessions = input.sessions ?? Math.max(1, Math.min(production.sessions, DEFAULTS.validation.simulatedSessions));
  const window = { start: Date.parse(model.window.start) / 1000, end: Date.parse(model.window.end) / 1000 };
  const simulated = figuresFromSessions(simulateSessions(model, { sessions, seed: input.seed }), {
    templateOf: templateMatcher(model),
    window,
  });
  return compareFigures(production, scaleToProduction(simulated, production), DEFAULTS.validation.tolerances, 'model', {
    clock: input.clock,
  });
}

/**
 * A smaller simulation has proportionally lower rates: the peak page rate is scaled by the ratio of
 * sessions, slice by slice, so it compares with production's. Shares and distributions need no scaling.
 */
function scaleToProduction(simulated: TrafficFigures, production: TrafficFigures): TrafficFigures {
  const scale = (s: SliceFigures, target: SliceFigures | undefined): SliceFigures =>
    target && s.sessions > 0 ? { ...s, peakRps: (s.peakRps * target.sessions) / s.sessions } : s;
  const perPersona = simulated.perPersona
    ? Object.fromEntries(Object.entries(simulated.perPersona).map(([k, v]) => [k, scale(v, production.perPersona?.[k])]))
    : undefined;
  return { ...scale(simulated, production), ...(perPersona ? { perPersona } : {}) };
}
