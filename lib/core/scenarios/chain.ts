/**
 * Markov-chain arithmetic the scenario writers need: expected page visits per session (the
 * fundamental matrix), and censoring, which removes states from a chain while keeping the relative
 * visit frequencies of the remaining ones. Censoring is how `--writes off` and dangerous templates
 * "renormalise" a chain: a walk that went A -> POST /cart -> /checkout now goes A -> /checkout with
 * the same probability, instead of losing the checkout page with the dropped write.
 */
import { DEFAULTS } from '../config';
import { UserError } from '../errors';
import { EXIT_STATE } from '../types';

export type Row = Readonly<Record<string, number>>;

export interface Chain {
  /** Transient states, in a stable order. */
  readonly states: readonly string[];
  readonly entry: Row;
  /** Rows over `states` and `$exit`, each summing to 1. */
  readonly transitions: Readonly<Record<string, Row>>;
}

/**
 * Cleans a chain read from model.json: unknown targets dropped, missing rows exit, rows and entry
 * renormalised to sum to 1, negative or non-finite probabilities treated as 0.
 */
export function normaliseChain(
  states: readonly string[],
  entry: Row,
  transitions: Readonly<Record<string, Row>>,
  where: string,
): Chain {
  const known = new Set(states);
  const clean = (row: Row | undefined, allowExit: boolean): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [to, p] of Object.entries(row ?? {})) {
      if (!(known.has(to) || (allowExit && to === EXIT_STATE))) continue;
      if (Number.isFinite(p) && p > 0) out[to] = (out[to] ?? 0) + p;
    }
    return normaliseRow(out);
  };
  const e = clean(entry, false);
  if (Object.keys(e).length === 0) {
    throw new UserError(`${where}: "entry" names no known state; regenerate model.json`);
  }
  const t: Record<string, Row> = {};
  for (const s of states) {
    const row = clean(transitions[s], true);
    t[s] = Object.keys(row).length === 0 ? { [EXIT_STATE]: 1 } : row;
  }
  return { states: [...states], entry: e, transitions: t };
}

function normaliseRow(row: Record<string, number>): Record<string, number> {
  const sum = Object.values(row).reduce((a, b) => a + b, 0);
  if (sum <= 0) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v / sum;
  return out;
}

/**
 * Expected visits to each state in one session: v = e (I - Q)^-1, with Q the transient part.
 * Throws when a set of states can never reach `$exit` (the session would never end).
 */
export function expectedVisits(chain: Chain, where = 'chain'): Record<string, number> {
  const n = chain.states.length;
  const index = new Map(chain.states.map((s, i) => [s, i]));
  // Solve (I - Q)^T v = e.
  const a: number[][] = chain.states.map(() => new Array<number>(n).fill(0));
  const b: number[] = chain.states.map((s) => chain.entry[s] ?? 0);
  chain.states.forEach((from, i) => {
    a[i]![i]! += 1;
    for (const [to, p] of Object.entries(chain.transitions[from] ?? {})) {
      const j = index.get(to);
      if (j !== undefined) a[j]![i]! -= p;
    }
  });
  const v = solve(a, [b], where)[0]!;
  return Object.fromEntries(chain.states.map((s, i) => [s, Math.max(0, v[i]!)]));
}

/**
 * The chain watched only on `keep`: transitions and entry into removed states are redirected to
 * wherever the walk would next land among kept states (or `$exit`). `emptySessionShare` is the
 * probability that a session visits no kept state at all; such sessions simply do not happen.
 */
export function censorChain(
  chain: Chain,
  keep: ReadonlySet<string>,
  where = 'chain',
): { chain: Chain; emptySessionShare: number } {
  const removed = chain.states.filter((s) => !keep.has(s));
  const kept = chain.states.filter((s) => keep.has(s));
  if (removed.length === 0) return { chain, emptySessionShare: 0 };
  const targets = [...kept, EXIT_STATE];
  const rIndex = new Map(removed.map((s, i) => [s, i]));
  // H = (I - P_RR)^-1 P_R,targets: where a walk that is in a removed state lands next.
  const a: number[][] = removed.map(() => new Array<number>(removed.length).fill(0));
  const rhs: number[][] = targets.map(() => new Array<number>(removed.length).fill(0));
  removed.forEach((r, i) => {
    a[i]![i]! += 1;
    for (const [to, p] of Object.entries(chain.transitions[r] ?? {})) {
      const j = rIndex.get(to);
      if (j !== undefined) a[i]![j]! -= p;
      else rhs[targets.indexOf(to)]![i] = p;
    }
  });
  const hCols = solve(a, rhs, where); // hCols[target][removedIndex]
  const land = (row: Row): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [to, p] of Object.entries(row)) {
      const ri = rIndex.get(to);
      if (ri === undefined) {
        out[to] = (out[to] ?? 0) + p;
        continue;
      }
      targets.forEach((t, ti) => {
        const h = hCols[ti]![ri]! * p;
        if (h > DEFAULTS.scenarios.chainEpsilon) out[t] = (out[t] ?? 0) + h;
      });
    }
    return out;
  };
  const transitions: Record<string, Row> = {};
  for (const k of kept) transitions[k] = normaliseRow(land(chain.transitions[k] ?? {}));
  const entryLanded = land(chain.entry);
  const emptySessionShare = entryLanded[EXIT_STATE] ?? 0;
  delete entryLanded[EXIT_STATE];
  return {
    chain: { states: kept, entry: normaliseRow(entryLanded), transitions },
    emptySessionShare: Math.min(1, Math.max(0, emptySessionShare)),
  };
}

/**
 * Solves A x = b for several right-hand sides by Gaussian elimination with partial pivoting.
 * The matrices are per-persona state counts (tens), so a dense O(n^3) solve is the simple choice.
 */
function solve(aIn: number[][], bs: number[][], where: string): number[][] {
  const n = aIn.length;
  const a = aIn.map((r) => [...r]);
  const b = bs.map((r) => [...r]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < DEFAULTS.scenarios.chainEpsilon) {
      throw new UserError(`${where}: some states can never reach "${EXIT_STATE}" (a session would never end); regenerate model.json`);
    }
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (const rhs of b) [rhs[col], rhs[pivot]] = [rhs[pivot]!, rhs[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r]![c]! -= f * a[col]![c]!;
      for (const rhs of b) rhs[r]! -= f * rhs[col]!;
    }
  }
  return b.map((rhs) => rhs.map((v, i) => v / a[i]![i]!));
}
