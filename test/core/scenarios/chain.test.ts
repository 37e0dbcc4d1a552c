import { censorChain, expectedVisits, normaliseChain } from '../../../lib/core/scenarios/chain';
import { fixtureModel, simulatedMix } from './support';

function chainOf(name: string) {
  const p = fixtureModel().personas.find((x) => x.name === name)!;
  return { p, chain: normaliseChain(p.states.map((s) => s.id), p.entry, p.transitions, name) };
}

describe('expected visits (fundamental matrix)', () => {
  it('agree with a long simulation of the same chain', () => {
    // Given the buyer's chain
    const { p, chain } = chainOf('buyer');
    // When visits are computed in closed form and by simulation
    const visits = expectedVisits(chain);
    const total = Object.values(visits).reduce((a, b) => a + b, 0);
    const simulated = simulatedMix({ ...fixtureModel(), personas: [p] });
    // Then every state's share matches to within simulation noise
    for (const s of p.states) {
      expect((visits[s.id] ?? 0) / total).toBeCloseTo(simulated.get(`${s.method} ${s.path}`) ?? 0, 2);
    }
  });

  it('reject a chain that can never exit', () => {
    const chain = normaliseChain(['a', 'b'], { a: 1 }, { a: { b: 1 }, b: { a: 1 } }, 'persona x');
    expect(() => expectedVisits(chain, 'persona x')).toThrow(/never reach "\$exit"/);
  });
});

describe('censoring (writes off, dangerous templates)', () => {
  it('keeps the relative visits of the remaining pages and rows summing to 1', () => {
    // Given the buyer's chain, whose writes are s3 (POST /cart/items) and s5 (POST /payment/...)
    const { chain } = chainOf('buyer');
    const before = expectedVisits(chain);
    // When the writes are censored out
    const { chain: reads, emptySessionShare } = censorChain(chain, new Set(['s1', 's2', 's4', 's6']));
    const after = expectedVisits(reads);
    // Then checkout and order pages keep their visits relative to product pages
    expect(after['s4']! / after['s2']!).toBeCloseTo(before['s4']! / before['s2']!, 10);
    expect(after['s6']! / after['s1']!).toBeCloseTo(before['s6']! / before['s1']!, 10);
    for (const row of Object.values(reads.transitions)) {
      expect(Object.values(row).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // And the walk from the cart now leads straight to checkout (it did via the dropped POST)
    expect(reads.transitions['s2']!['s4']).toBeGreaterThan(0);
    expect(emptySessionShare).toBe(0);
  });

  it('counts sessions that only ever wrote as sessions that no longer happen', () => {
    const chain = normaliseChain(['r', 'w'], { r: 0.75, w: 0.25 }, { r: { $exit: 1 }, w: { $exit: 1 } }, 'x');
    const { chain: reads, emptySessionShare } = censorChain(chain, new Set(['r']));
    expect(emptySessionShare).toBeCloseTo(0.25, 12);
    expect(reads.entry).toEqual({ r: 1 });
  });
});
