import { formatRunId, isRunId, isSafeRequestPath, isTool } from '../../../lib/core/api/ids';

describe('run ids, tools and request paths', () => {
  it('makes sortable run ids from the UTC start time and a suffix', () => {
    const a = formatRunId(new Date('2026-11-28T10:15:00.000Z'), 'A1B2C3');
    const b = formatRunId(new Date('2026-11-28T10:15:01.000Z'), '000000');
    expect(a).toBe('20261128T101500Z-a1b2c3');
    expect(isRunId(a)).toBe(true);
    expect([b, a].sort()).toEqual([a, b]);
    expect(() => formatRunId(new Date(), '../x')).toThrow();
  });

  it.each(['20261128T101500Z-a1b2c3', 'nightly_2026-11-28', 'A', 'x'.repeat(100)])('accepts run id %s', (id) => {
    expect(isRunId(id)).toBe(true);
  });

  it.each(['', 'latest', '-x', '_x', 'a.b', 'a/b', '..', 'a%2e', 'a b', 'x'.repeat(101), 'a\u0000'])('refuses run id %j', (id) => {
    expect(isRunId(id)).toBe(false);
  });

  it('knows the three tools and nothing else', () => {
    expect(['k6', 'locust', 'artillery'].every(isTool)).toBe(true);
    expect(isTool('jmeter')).toBe(false);
    expect(isTool('K6')).toBe(false);
  });

  it.each(['/', '/runs', '/runs/', '/runs/abc/model', '/openapi.json', '/runs/a/scenarios/artillery/processor.js'])('accepts path %s', (p) => {
    expect(isSafeRequestPath(p)).toBe(true);
  });

  it.each(['runs', '/runs//x', '/runs/..', '/runs/./x', '/runs/%2e%2e', '/a\\b', '/a\u0000', '/a..b', '/.hidden', '/x y', '/é'])('refuses path %j', (p) => {
    expect(isSafeRequestPath(p)).toBe(false);
  });
});
