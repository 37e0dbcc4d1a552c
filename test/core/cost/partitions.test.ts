import { DEFAULTS } from '../../../lib/core/config';
import { partitionKeyPrefixes, partitionPredicate, partitionValues, scanActuals } from '../../../lib/core/cost';

const at = (iso: string): number => Date.parse(iso) / 1000;

describe('partitions of a window', () => {
  it('lists the ALB days a window touches, across a month end', () => {
    const days = partitionValues({ start: at('2026-11-29T22:00:00Z'), end: at('2026-12-01T01:00:00Z') }, 'yyyy/MM/dd');
    expect(days).toEqual(['2026/11/29', '2026/11/30', '2026/12/01']);
    expect(partitionKeyPrefixes('alb/AWSLogs/1/elasticloadbalancing/eu-west-1/', days)[0]).toBe('alb/AWSLogs/1/elasticloadbalancing/eu-west-1/2026/11/29/');
    expect(partitionPredicate('day', days)).toBe("day IN ('2026/11/29', '2026/11/30', '2026/12/01')");
  });

  it('lists CloudFront hours, end exclusive', () => {
    expect(partitionValues({ start: at('2026-11-28T09:30:00Z'), end: at('2026-11-28T11:00:00Z') }, 'yyyy/MM/dd/HH')).toEqual(['2026/11/28/09', '2026/11/28/10']);
  });

  it('refuses empty, reversed or runaway windows and odd column names', () => {
    expect(() => partitionValues({ start: 10, end: 10 }, 'yyyy/MM/dd')).toThrow(/end after it starts/);
    expect(() => partitionValues({ start: 0, end: 10 * 365 * 86_400 }, 'yyyy/MM/dd/HH')).toThrow(/profile a shorter window/);
    expect(() => partitionPredicate('day; DROP', ['2026/11/28'])).toThrow(/plain identifier/);
  });
});

describe('scanActuals', () => {
  it('prices what the queries scanned as Athena bills it (10 MB minimum per query)', () => {
    const a = scanActuals([1_000, 3 * 2 ** 30], DEFAULTS.cost);
    expect(a.queries).toBe(2);
    expect(a.scannedBytes).toBe(1_000 + 3 * 2 ** 30);
    expect(a.billedBytes).toBe(10 * 2 ** 20 + 3 * 2 ** 30);
    expect(a.costUsd).toBeCloseTo(((10 * 2 ** 20 + 3 * 2 ** 30) / 2 ** 40) * 5, 10);
  });
});
