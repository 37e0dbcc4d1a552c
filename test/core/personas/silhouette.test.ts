import { flatPoints } from '../../../lib/core/personas/flat-points';
import { seededRandom, sampleIndices } from '../../../lib/core/personas/random';
import { sampledDistances, sampledSilhouette, silhouetteFromDistances } from '../../../lib/core/personas/silhouette';

function cloudRows(n: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => [(i % 3) * 4 + random(), random() * 2, random()]);
}

/** Rousseeuw's silhouette over the given points, straight from the definition. */
function textbookSilhouette(points: readonly number[][], labels: readonly number[]): number {
  const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot(...a.map((x, j) => x - b[j]!));
  const clusters = [...new Set(labels)];
  const scores = points.map((p, i) => {
    const mean = (c: number): number => {
      const others = points.filter((_, j) => j !== i && labels[j] === c);
      return others.reduce((s, q) => s + dist(p, q), 0) / others.length;
    };
    if (labels.filter((l) => l === labels[i]).length <= 1) return 0;
    const a = mean(labels[i]!);
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map(mean));
    return (b - a) / Math.max(a, b);
  });
  return scores.reduce((s, x) => s + x, 0) / scores.length;
}

describe('silhouette from distances computed once', () => {
  it('scores every labelling of the same sample as the textbook silhouette does', () => {
    // Given 900 points, a 300-point sample, and two labellings of them (3 clusters and 2)
    const rows = cloudRows(900, 5);
    const points = flatPoints(rows);
    const byThree = rows.map((_, i) => i % 3);
    const byTwo = rows.map((p) => (p[1]! < 1 ? 0 : 1));
    // When the distances are computed once and each labelling is scored from them
    const sampled = sampledDistances(points, 300, 42);
    const three = silhouetteFromDistances(sampled, byThree, 3);
    const two = silhouetteFromDistances(sampled, byTwo, 2);
    // Then each score is the textbook silhouette of the sampled points, and the same as scoring directly
    const picked = sampleIndices(900, 300, 42);
    const sub = picked.map((i) => rows[i]!);
    expect(three.silhouette).toBeCloseTo(textbookSilhouette(sub, picked.map((i) => byThree[i]!)), 12);
    expect(two.silhouette).toBeCloseTo(textbookSilhouette(sub, picked.map((i) => byTwo[i]!)), 12);
    expect(three).toEqual(sampledSilhouette(points, byThree, 3, 300, 42));
    expect(two).toEqual(sampledSilhouette(points, byTwo, 2, 300, 42));
    expect(three.silhouette).toBeGreaterThan(0.5);
    expect(two.silhouette).toBeLessThan(three.silhouette);
    expect(three.pairs).toBe((300 * 299) / 2);
  });

  it('scores a single cluster, or a lone sampled point, as 0', () => {
    // Given points and a sample of one
    const points = flatPoints(cloudRows(50, 1));
    const labels = (f: (i: number) => number): number[] => Array.from({ length: points.n }, (_, i) => f(i));
    // Then one cluster and a one-point sample both score 0 without distance work
    expect(sampledSilhouette(points, labels(() => 0), 1, 20, 42)).toEqual({ silhouette: 0, sampleSize: 20, pairs: 0 });
    expect(silhouetteFromDistances(sampledDistances(points, 1, 42), labels((i) => i % 2), 2)).toEqual({ silhouette: 0, sampleSize: 1, pairs: 0 });
  });
});
