/**
 * The Markov graph of one persona as the report draws it: the most travelled transitions (ranked by
 * expected traversals per session, not by raw probability, so a rare page with one certain exit does
 * not crowd out the main path), laid out left to right from session start to exit in the order pages are typically visited. Self-loops are
 * shown on the node (`↻ 30%`) because graph libraries draw them poorly.
 */
import { DEFAULTS } from '../config';
import { EXIT_STATE } from '../types';
import type { ModelState, PersonaModel } from '../types';
import { formatPercent, responsesTimed } from './format';

export const START_NODE = '$start';

export interface MarkovEdge {
  from: string;
  to: string;
  probability: number;
  /** Expected traversals of this edge per session. */
  flow: number;
}

export interface MarkovNode {
  id: string;
  label: string;
  /** Lines shown on hover (plain text; the page escapes them). */
  tip: string[];
  /** Position in 0..1 (left to right, top to bottom). */
  x: number;
  y: number;
  size: number;
  kind: 'start' | 'exit' | 'read' | 'write';
}

export interface MarkovGraph {
  nodes: MarkovNode[];
  edges: MarkovEdge[];
  /** Edges left out (self-loops excluded), for the caption. */
  hiddenEdges: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Page visits per session below which the expected-visit series is considered converged. */
const VISIT_EPSILON = 1e-9;
const NODE_SIZE = { min: 14, max: 44, fixed: 22 } as const;
const LABEL_MAX_CHARS = 32;
/** Horizontal offset (in columns) of every other node in a column of three or more. */
const COLUMN_STAGGER = 0.3;

export interface VisitStats {
  /** Expected visits per session. */
  visits: Map<string, number>;
  /** Mean page position (1 = landing page) at which the state is visited: orders the graph's columns. */
  meanStep: Map<string, number>;
}

/**
 * Expected visits per session to each state: v = entry + v·P over the transient states, summed as a
 * series (bounded: a chain with a near-absorbing loop stops after `maxIterations`).
 */
export function expectedVisits(p: PersonaModel, maxIterations: number = DEFAULTS.report.flowIterations): VisitStats {
  const visits = new Map<string, number>();
  const stepSum = new Map<string, number>();
  let current = new Map<string, number>(Object.entries(p.entry));
  for (let step = 1; step <= maxIterations && current.size > 0; step++) {
    let mass = 0;
    const next = new Map<string, number>();
    for (const [state, v] of current) {
      visits.set(state, (visits.get(state) ?? 0) + v);
      stepSum.set(state, (stepSum.get(state) ?? 0) + v * step);
      for (const [to, prob] of Object.entries(p.transitions[state] ?? {})) {
        if (to === EXIT_STATE) continue;
        next.set(to, (next.get(to) ?? 0) + v * prob);
        mass += v * prob;
      }
    }
    current = next;
    if (mass < VISIT_EPSILON) break;
  }
  const meanStep = new Map([...visits].map(([s, v]) => [s, v > 0 ? (stepSum.get(s) ?? 0) / v : Infinity]));
  return { visits, meanStep };
}

function shorten(text: string): string {
  return text.length <= LABEL_MAX_CHARS ? text : `${text.slice(0, LABEL_MAX_CHARS - 1)}…`;
}

function stateLabel(s: ModelState): string {
  const path = s.path === 'other' ? `other (${s.templates?.length ?? 0} rare pages)` : s.path;
  return s.method === 'GET' ? path : `${s.method} ${path}`;
}

/** Builds the persona's graph with at most `topEdges` edges (self-loops are drawn on their nodes). */
export function buildMarkovGraph(p: PersonaModel, topEdges: number = DEFAULTS.report.markovTopEdges): MarkovGraph {
  const { visits, meanStep } = expectedVisits(p);
  const all: MarkovEdge[] = Object.entries(p.entry).map(([to, probability]) => ({ from: START_NODE, to, probability, flow: probability }));
  const selfLoop = new Map<string, number>();
  for (const [from, row] of Object.entries(p.transitions)) {
    for (const [to, probability] of Object.entries(row)) {
      if (probability <= 0) continue;
      if (to === from) selfLoop.set(from, probability);
      else all.push({ from, to, probability, flow: (visits.get(from) ?? 0) * probability });
    }
  }
  // Ties broken by name so the same model always draws the same graph.
  all.sort((a, b) => b.flow - a.flow || `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`));
  const edges = all.slice(0, topEdges);

  // Columns left to right by when a state is typically visited (mean page position), a few per
  // column, between the start (x = 0) and the exit (x = 1). Coordinates are normalised to 0..1; the
  // page maps them onto the chart's pixels so nodes stay round at any size.
  const used = new Set<string>();
  for (const e of edges) used.add(e.from).add(e.to);
  used.delete(START_NODE);
  used.delete(EXIT_STATE);
  const ordered = [...used].sort((a, b) => (meanStep.get(a) ?? Infinity) - (meanStep.get(b) ?? Infinity) || a.localeCompare(b));
  const columnCount = Math.max(1, Math.ceil(Math.sqrt(ordered.length)));
  const perColumn = Math.max(1, Math.ceil(ordered.length / columnCount));
  const span = columnCount + 1;

  const states = new Map(p.states.map((s) => [s.id, s]));
  const maxVisits = Math.max(1e-12, ...[...visits.values()]);
  const nodes: MarkovNode[] = [
    { id: START_NODE, label: 'start', tip: ['Session start', 'every session starts here'], x: 0, y: 0.5, size: NODE_SIZE.fixed, kind: 'start' },
  ];
  const timed = responsesTimed(p);
  ordered.forEach((id, i) => {
    const col = Math.floor(i / perColumn);
    const inColumn = Math.min(perColumn, ordered.length - col * perColumn);
    const row = i % perColumn;
    // Stagger crowded columns so an edge from the top node to the bottom one misses the middle one.
    const stagger = inColumn > 2 && row % 2 === 1 ? COLUMN_STAGGER : 0;
    const s = states.get(id);
    const v = visits.get(id) ?? 0;
    const loop = selfLoop.get(id);
    const tip = [s ? stateLabel(s) : id, `visits per session: ${v.toFixed(2)}`];
    if (s) tip.push(`share of pages: ${formatPercent(s.share)}`, `response p50: ${timed ? `${s.responseTimeMs.p50} ms` : 'not logged'}`, `error rate: ${formatPercent(s.errorRate)}`);
    if (loop !== undefined) tip.push(`repeats itself: ${formatPercent(loop)}`);
    const label = s ? shorten(stateLabel(s)) : id;
    nodes.push({
      id,
      label: loop !== undefined ? `${label}\n↻ ${formatPercent(loop)}` : label,
      tip,
      x: Number(((col + 1 + stagger) / span).toFixed(4)),
      y: inColumn === 1 ? 0.5 : Number((row / (inColumn - 1)).toFixed(4)),
      size: NODE_SIZE.min + (NODE_SIZE.max - NODE_SIZE.min) * Math.sqrt(v / maxVisits),
      kind: s && WRITE_METHODS.has(s.method) ? 'write' : 'read',
    });
  });
  if (edges.some((e) => e.to === EXIT_STATE)) {
    nodes.push({ id: EXIT_STATE, label: 'exit', tip: ['Session exit', 'every session ends here'], x: 1, y: 0.5, size: NODE_SIZE.fixed, kind: 'exit' });
  }
  return { nodes, edges, hiddenEdges: all.length - edges.length };
}
