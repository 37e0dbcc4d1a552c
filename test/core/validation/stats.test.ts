import {
  jensenShannon,
  ksTwoSample,
  largestDivergence,
  median,
  pearson,
  quantileSorted,
  quantiles,
  totalVariation,
} from '../../../lib/core/validation/stats';

describe('jensenShannon', () => {
  it('is 0 for identical mixes, whatever the volume', () => {
    // Given the same mix at two volumes
    const p = { 'GET /': 30, 'GET /p/{id}': 70 };
    const q = { 'GET /': 3, 'GET /p/{id}': 7 };
    // Then the divergence is 0
    expect(jensenShannon(p, q)).toBeCloseTo(0, 12);
  });

  it('is 1 bit for mixes with no endpoint in common', () => {
    expect(jensenShannon({ a: 5, b: 1 }, { c: 2 })).toBeCloseTo(1, 12);
  });

  it('matches a hand-computed value and is symmetric', () => {
    // Given P = (1, 0) and Q = (0.5, 0.5): M = (0.75, 0.25),
    // KL(P||M) = log2(4/3) = 0.415037, KL(Q||M) = 0.5 log2(2/3) + 0.5 log2(2) = 0.207519
    const p = { a: 10 };
    const q = { a: 3, b: 3 };
    // Then JSD is their mean, either way round
    expect(jensenShannon(p, q)).toBeCloseTo(0.311278, 5);
    expect(jensenShannon(q, p)).toBeCloseTo(jensenShannon(p, q), 15);
  });

  it('treats empty sides as nothing to differ (both) or nothing to match (one)', () => {
    expect(jensenShannon({}, {})).toBe(0);
    expect(jensenShannon({ a: 0 }, { a: 0 })).toBe(0);
    expect(jensenShannon({}, { a: 1 })).toBe(1);
  });

  it('rejects negative or non-finite counts', () => {
    expect(() => jensenShannon({ a: -1 }, { a: 1 })).toThrow(/"a" is -1/);
    expect(() => jensenShannon({ a: 1 }, { a: Number.NaN })).toThrow(RangeError);
  });
});

describe('largestDivergence', () => {
  it('names the rare endpoint that is 4x off ahead of a common one off by the same points', () => {
    // Given /p/{id} and /payment both 6 points off, /payment from 8% to 2%
    const p = { 'GET /': 50, 'GET /p/{id}': 42, 'POST /payment': 8 };
    const q = { 'GET /': 50, 'GET /p/{id}': 48, 'POST /payment': 2 };
    // When asking what drives the divergence
    const gap = largestDivergence(p, q);
    // Then it is the payment endpoint, with both shares
    expect(gap).toMatchObject({ key: 'POST /payment', p: 0.08, q: 0.02 });
  });

  it('reports the key\'s term of the divergence sum', () => {
    // Given the hand-worked case P = (1, 0), Q = (0.5, 0.5): the terms are
    // a: (log2(4/3) + 0.5 log2(2/3)) / 2 = 0.061278 and b: (0.5 log2(2)) / 2 = 0.25, summing to 0.311278
    const gap = largestDivergence({ a: 10 }, { a: 3, b: 3 });
    // Then b, absent from P, is named with its term
    expect(gap?.key).toBe('b');
    expect(gap?.contribution).toBeCloseTo(0.25, 12);
    expect(largestDivergence({}, {})).toBeUndefined();
  });
});

describe('totalVariation', () => {
  it('is half the summed share gaps', () => {
    // (0.5, 0.5) vs (0.75, 0.25): 0.5 * (0.25 + 0.25)
    expect(totalVariation({ a: 1, b: 1 }, { a: 3, b: 1 })).toBeCloseTo(0.25, 12);
    expect(totalVariation({ a: 1 }, { b: 1 })).toBe(1);
    expect(totalVariation({ a: 2 }, { a: 9 })).toBe(0);
  });
});

describe('ksTwoSample', () => {
  it('finds the largest CDF gap of two shifted samples', () => {
    // CDFs at 1,2,3,4: a = .25,.5,.75,1; b = 0,0,.25,.5 -> gaps .25,.5,.5,.5
    expect(ksTwoSample([4, 3, 2, 1], [3, 4, 5, 6]).d).toBeCloseTo(0.5, 12);
  });

  it('consumes ties on both sides before comparing', () => {
    // At 1: a .5 vs b .25; at 2: both 1. A merge that steps one value at a time would report .5 or more.
    expect(ksTwoSample([1, 1, 2, 2], [1, 2, 2, 2]).d).toBeCloseTo(0.25, 12);
  });

  it('is 0 with p = 1 for identical samples and 1 for disjoint ones', () => {
    const a = [3, 1, 2, 2, 5];
    expect(ksTwoSample(a, [...a])).toEqual({ d: 0, pValue: 1 });
    const disjoint = ksTwoSample([1, 2, 3], [10, 11]);
    expect(disjoint.d).toBe(1);
  });

  it('gives the asymptotic p-value of a hand-worked case', () => {
    // n = m = 50 and D = 0.3: en = 5, lambda = (5 + 0.12 + 0.022) * 0.3 = 1.5426,
    // Q = 2 (exp(-2 lambda^2) - exp(-8 lambda^2) + ...) = 0.0171
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = Array.from({ length: 50 }, (_, i) => i + 15);
    const r = ksTwoSample(a, b);
    expect(r.d).toBeCloseTo(0.3, 12);
    expect(r.pValue).toBeCloseTo(0.0171, 3);
  });

  it('answers empty samples without NaN', () => {
    expect(ksTwoSample([], [])).toEqual({ d: 0, pValue: 1 });
    expect(ksTwoSample([1], [])).toEqual({ d: 1, pValue: 0 });
  });
});

describe('pearson', () => {
  it('matches a hand-computed value', () => {
    // dx = dy up to a swap: sxy = 4, sxx = syy = 5
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('is defined for zero variance: two flat profiles agree, flat against shaped does not', () => {
    expect(pearson([2, 2, 2], [5, 5, 5])).toBe(1);
    expect(pearson([2, 2, 2], [1, 5, 2])).toBe(0);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(/differ in length/);
  });
});

describe('quantiles', () => {
  it('interpolates linearly between order statistics', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantiles([4, 1, 3, 2], [0, 1])).toEqual([1, 4]);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBe(0);
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => quantileSorted([1], 1.5)).toThrow(/\[0, 1\]/);
  });
});
