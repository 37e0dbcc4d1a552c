import { flatPoints, type FlatPoints } from '../../../lib/core/personas/flat-points';
import { refineGaussian } from '../../../lib/core/personas/gaussian-refine';
import { seededRandom } from '../../../lib/core/personas/random';

/** Three well-separated spherical blobs with different spreads (sd 0.3, 1, 0.6) and sizes. */
function mixture(seed: number): { points: FlatPoints; truth: { center: number[]; sd: number; n: number }[] } {
  const random = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const truth = [
    { center: [0, 0, 0], sd: 0.3, n: 600 },
    { center: [8, 0, 2], sd: 1, n: 1_500 },
    { center: [0, 9, -3], sd: 0.6, n: 900 },
  ];
  const rows = truth.flatMap((t) => Array.from({ length: t.n }, () => t.center.map((m) => m + t.sd * gauss())));
  return { points: flatPoints(rows), truth };
}

describe('Gaussian refinement of k-means clusters', () => {
  const { points, truth } = mixture(3);
  // Slightly-off starting centres, as k-means on a subsample would hand over
  const start = truth.map((t) => t.center.map((m) => m + 0.4));

  it('stops early with the same components as running every EM step', () => {
    // When EM runs to the cap, and when it stops at a tolerance
    const full = refineGaussian(points, start, { iterations: 200, tolerance: 0, varianceFloor: 0.01 });
    const early = refineGaussian(points, start, { iterations: 200, tolerance: 1e-6, varianceFloor: 0.01 });
    // Then both find the three blobs with their sizes, and agree on every value to well below 1e-4
    expect(early.map((c) => c.size)).toEqual(full.map((c) => c.size));
    expect(early.map((c) => c.size)).toEqual([1_500, 900, 600]);
    early.forEach((c, i) => {
      const f = full[i]!;
      c.center.forEach((x, j) => expect(Math.abs(x - f.center[j]!)).toBeLessThan(1e-5));
      expect(Math.abs(c.variance[0]! - f.variance[0]!)).toBeLessThan(1e-5);
      expect(Math.abs(c.weight - f.weight)).toBeLessThan(1e-6);
    });
  });

  it('gives each component its own spherical spread and a weight by share', () => {
    // When refined
    const comps = refineGaussian(points, start, { iterations: 60, tolerance: 1e-6, varianceFloor: 0.01 });
    // Then each blob's spread is its true variance (one value for all features), its weight its share
    const bySize = [...truth].sort((a, b) => b.n - a.n);
    comps.forEach((c, i) => {
      const t = bySize[i]!;
      expect(new Set(c.variance).size).toBe(1);
      expect(c.variance[0]!).toBeGreaterThan(t.sd * t.sd * 0.85);
      expect(c.variance[0]!).toBeLessThan(t.sd * t.sd * 1.15);
      expect(c.weight).toBeCloseTo(t.n / points.n, 3);
      c.center.forEach((x, j) => expect(Math.abs(x - t.center[j]!)).toBeLessThan(0.1));
    });
  });

  it('is deterministic and drops a component no point prefers', () => {
    // Given a fourth starting centre far from every point
    const withStray = [...start, [100, 100, 100]];
    // When refined twice
    const a = refineGaussian(points, withStray, { iterations: 60, tolerance: 1e-6, varianceFloor: 0.01 });
    const b = refineGaussian(points, withStray, { iterations: 60, tolerance: 1e-6, varianceFloor: 0.01 });
    // Then the stray component is gone and the result is identical
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
  });
});
