import { chooseK } from '../../../lib/core/personas/choose-k';
import { flatPoints } from '../../../lib/core/personas/flat-points';
import { seededRandom } from '../../../lib/core/personas/random';
import { sampledSilhouette } from '../../../lib/core/personas/silhouette';

const options = {
  kMin: 2, kMax: 8, silhouetteSampleSize: 600, kSelectionSampleSize: 3_000, restarts: 2, kSelectionRestarts: 2,
  silhouetteTolerance: 0.05, seed: 42, maxIterations: 100, tolerance: 1e-4,
};

function blobs(k: number, perBlob: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const points: number[][] = [];
  for (let c = 0; c < k; c++) for (let i = 0; i < perBlob; i++) points.push([c * 10 + gauss(), (c % 2) * 10 + gauss(), gauss()]);
  return points;
}

describe('choosing k', () => {
  it.each([3, 5])('picks k=%i for a well-separated mixture of %i blobs', (k) => {
    // Given well-separated Gaussian blobs
    const points = blobs(k, 400, k);
    // When k is chosen automatically
    const choice = chooseK(flatPoints(points), options);
    // Then it is the true k, and the true k scores best
    expect(choice.k).toBe(k);
    const best = choice.scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(best.k).toBe(k);
  });

  it('computes the silhouette on a bounded sample, never on all points', () => {
    // Given 50k points
    const points = blobs(2, 25_000, 1);
    const labels = points.map((_, i) => (i < 25_000 ? 0 : 1));
    // When the silhouette is asked for on a 500-point sample
    const result = sampledSilhouette(flatPoints(points), labels, 2, 500, 42);
    // Then it looked at 500 points and made exactly 500*499/2 distance evaluations
    expect(result.sampleSize).toBe(500);
    expect(result.pairs).toBe((500 * 499) / 2);
    expect(result.silhouette).toBeGreaterThan(0.8);
  });
});
