import { adjustedRandIndex } from '../../../lib/core/personas/ari';
import { seededRandom } from '../../../lib/core/personas/random';

describe('adjusted Rand index', () => {
  it('is 1 for the same partition under other names', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'b', 'c'], [2, 2, 0, 0, 1])).toBe(1);
  });

  it('is near 0 for unrelated labellings', () => {
    const random = seededRandom(3);
    const a = Array.from({ length: 5_000 }, () => Math.floor(random() * 4));
    const b = Array.from({ length: 5_000 }, () => Math.floor(random() * 4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.02);
  });

  it('matches a hand-computed value', () => {
    // Contingency [[2,1],[0,2]]: index C(2,2)+C(2,2) = 2; rows C(3,2)+C(2,2) = 4; cols 4; C(5,2) = 10;
    // expected 4*4/10 = 1.6; ARI = (2 - 1.6) / (4 - 1.6) = 1/6
    expect(adjustedRandIndex([0, 0, 0, 1, 1], ['x', 'x', 'y', 'y', 'y'])).toBeCloseTo(1 / 6, 12);
  });

  it('refuses labellings of different lengths', () => {
    expect(() => adjustedRandIndex([1, 2], [1])).toThrow(/differ in length/);
  });
});
