/**
 * Run snapshots for drift tests, built from test/fixtures/validation (a one-day model with three
 * personas) and edited the way production changes: shares move, states appear, habits shift.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelState, PersonaModel, PersonasFile, TrafficModel } from '../../../lib/core/types';
import type { RunSnapshot } from '../../../lib/core/validation/diff-runs';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'validation');

export function baseRun(runId: string): RunSnapshot & { model: TrafficModel; personas: PersonasFile } {
  return {
    runId,
    model: JSON.parse(readFileSync(path.join(FIXTURES, 'model.json'), 'utf8')) as TrafficModel,
    personas: JSON.parse(readFileSync(path.join(FIXTURES, 'personas.json'), 'utf8')) as PersonasFile,
  };
}

export function persona(run: RunSnapshot, name: string): PersonaModel {
  const p = run.model.personas.find((x) => x.name === name);
  if (!p) throw new Error(`fixture has no persona ${name}`);
  return p;
}

/** Sessions in the fixture's model: shares are set against this total so volume stays put. */
export const FIXTURE_SESSIONS = 1000;

/** Sets a persona's share (and its sessions, out of FIXTURE_SESSIONS) in both files. */
export function setShare(run: RunSnapshot, name: string, share: number): void {
  const p = persona(run, name);
  p.share = share;
  p.sessions = Math.round(FIXTURE_SESSIONS * share);
  const summary = run.personas.personas.find((x) => x.name === name);
  if (!summary) throw new Error(`fixture personas.json has no ${name}`);
  summary.share = share;
  summary.sessions = p.sessions;
}

/**
 * Adds a state reached from `fromId` with probability `reach` (taken from that row's `$exit`),
 * scaling the other states' shares so they still sum to 1 with the new one's `share`.
 */
export function addState(run: RunSnapshot, name: string, state: { id: string; method: string; path: string; share: number }, fromId: string, reach: number): void {
  const p = persona(run, name);
  for (const s of p.states) s.share *= 1 - state.share;
  const added: ModelState = {
    ...state,
    resources: [],
    responseTimeMs: { p50: 30, p90: 80, p99: 200 },
    errorRate: 0,
  };
  p.states.push(added);
  const row = p.transitions[fromId];
  if (!row || (row['$exit'] ?? 0) < reach) throw new Error(`state ${fromId} cannot give up ${reach} of its exits`);
  row['$exit'] = (row['$exit'] ?? 0) - reach;
  row[state.id] = reach;
  p.transitions[state.id] = { $exit: 1 };
}

export function renamePersona(run: RunSnapshot, from: string, to: string): void {
  persona(run, from).name = to;
  const summary = run.personas.personas.find((x) => x.name === from);
  if (summary) summary.name = to;
}
