import { START_NODE, buildMarkovGraph, expectedVisits } from '../../../lib/core/report/markov-graph';
import type { PersonaModel } from '../../../lib/core/types';
import { fixtureModel } from '../../fixtures/report/fixtures';

function persona(entry: PersonaModel['entry'], transitions: PersonaModel['transitions']): PersonaModel {
  const base = fixtureModel().personas[0]!;
  const ids = new Set([...Object.keys(entry), ...Object.keys(transitions)]);
  return {
    ...base,
    entry,
    transitions,
    states: [...ids].map((id) => ({ ...base.states[0]!, id, path: `/${id}` })),
  };
}

describe('Markov graph for the report', () => {
  it('computes expected visits per session as the chain implies', () => {
    // Given a -> b or exit (1/2 each), b -> a or exit (1/2 each), every session starting at a
    const p = persona({ a: 1 }, { a: { b: 0.5, $exit: 0.5 }, b: { a: 0.5, $exit: 0.5 } });
    // When visits are computed
    const { visits, meanStep } = expectedVisits(p);
    // Then v_a = 1 + v_b/2 and v_b = v_a/2, so v_a = 4/3 and v_b = 2/3
    expect(visits.get('a')).toBeCloseTo(4 / 3, 6);
    expect(visits.get('b')).toBeCloseTo(2 / 3, 6);
    expect(meanStep.get('a')!).toBeLessThan(meanStep.get('b')!);
  });

  it('keeps the most travelled edges, not the most probable ones', () => {
    // Given a main path s -> t (90% of sessions) and a rare page r with a certain exit
    const p = persona(
      { s: 0.9, r: 0.1 },
      { s: { t: 0.8, $exit: 0.2 }, t: { $exit: 1 }, r: { $exit: 1 } },
    );
    // When only three edges may be drawn
    const graph = buildMarkovGraph(p, 3);
    // Then they are the ones carrying the most sessions (start->s 0.9, s->t 0.72, t->exit 0.72)
    expect(graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual([`${START_NODE}>s`, 's>t', 't>$exit']);
    expect(graph.hiddenEdges).toBe(3);
    expect(graph.nodes.map((n) => n.id)).not.toContain('r');
  });

  it('draws self-loops on their node instead of as an edge', () => {
    const p = persona({ a: 1 }, { a: { a: 0.3, $exit: 0.7 } });
    const graph = buildMarkovGraph(p);
    expect(graph.edges.some((e) => e.from === e.to)).toBe(false);
    expect(graph.nodes.find((n) => n.id === 'a')?.label).toBe('/a\n↻ 30%');
  });

  it('lays nodes out from start (left) to exit (right) inside the unit square, in visit order', () => {
    // Given the fixture's browsing persona
    const graph = buildMarkovGraph(fixtureModel().personas[0]!);
    const x = (id: string): number => graph.nodes.find((n) => n.id === id)?.x ?? NaN;
    // Then start is leftmost, exit rightmost, the landing page left of the product page, all within 0..1
    expect(x(START_NODE)).toBe(0);
    expect(x('$exit')).toBe(1);
    expect(x('s1')).toBeLessThan(x('s3'));
    for (const n of graph.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(1);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(1);
    }
  });

  it('stops on a chain that never exits instead of looping forever', () => {
    const p = persona({ a: 1 }, { a: { b: 1 }, b: { a: 1 } });
    const { visits } = expectedVisits(p, 100);
    expect(visits.get('a')).toBeCloseTo(50, 6);
  });
});
