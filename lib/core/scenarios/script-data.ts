/**
 * The data table a generated script walks: one persona's chain, think times and parameter pools as
 * a plain literal. Shared by the three compilers so their scripts carry identical numbers.
 */
import type { Literal } from './literals';
import type { PlannedPersona } from './plan';

export function chainData(p: PlannedPersona): { [key: string]: Literal } {
  const states: Record<string, Literal> = {};
  for (const s of p.states) {
    states[s.id] = {
      method: s.method,
      templates: [...s.templates],
      resources: [...s.resources],
      ...(s.think ? { think: s.think.map(round3) } : {}),
    };
  }
  return {
    name: p.name,
    tag: p.ident,
    isBot: p.isBot,
    entry: sortedRow(p.entry),
    transitions: Object.fromEntries(Object.entries(p.transitions).map(([k, row]) => [k, sortedRow(row)])),
    states,
    think: p.think.map(round3),
    params: Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, [...v]])),
  };
}

/** Probabilities to 6 decimals, keys sorted: stable text, no float noise in diffs. */
function sortedRow(row: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(row).sort()) out[k] = round6(row[k]!);
  return out;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
