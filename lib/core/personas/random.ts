/**
 * Seeded randomness for the persona step. Every random choice (which sessions the silhouette and DBSCAN
 * see) comes from here, so the same input and seed give the same personas on every run and machine.
 */

/** mulberry32: a tiny 32-bit PRNG with good statistical quality for sampling; returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `size` distinct indices out of `0..n-1`, uniformly, in ascending order (all of them when size >= n).
 * Partial Fisher-Yates: O(n) memory for the index table, O(size) swaps.
 */
export function sampleIndices(n: number, size: number, seed: number): number[] {
  if (size >= n) return Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  const table = new Int32Array(n);
  for (let i = 0; i < n; i++) table[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = table[i]!;
    table[i] = table[j]!;
    table[j] = tmp;
  }
  return Array.from(table.subarray(0, size)).sort((a, b) => a - b);
}
