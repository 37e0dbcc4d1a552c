/**
 * Stable means and spreads (sql/stable-aggregates.ts) on DuckDB: the same result whatever order the
 * rows come in, where DuckDB's own avg() of DOUBLEs changes in its last bits, and no failure on a
 * corrupt value.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { stableAvg, stableStddevPop } from '../../../lib/core/sql/stable-aggregates';

/** Values whose DOUBLE sum depends on the order they are added in: small ones next to large ones. */
const VALUES = Array.from({ length: 300 }, (_, i) => [0.1 + i / 1000, 1e8 + i, -(1e8 + i) + 0.25]).flat();

describe('stable aggregates', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    // One thread: a table's rows then reach the aggregate in insertion order, which the test sets.
    engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '128MB', threads: 1 });
    await engine.exec(`CREATE TABLE up (x DOUBLE)`);
    await engine.exec(`CREATE TABLE down (x DOUBLE)`);
    await engine.exec(`INSERT INTO up VALUES ${VALUES.map((v) => `(${v})`).join(', ')}, (NULL)`);
    await engine.exec(`INSERT INTO down VALUES (NULL), ${[...VALUES].reverse().map((v) => `(${v})`).join(', ')}`);
  });
  afterAll(() => engine.close());

  const one = async (sql: string) => (await engine.query<{ v: number }>(sql))[0]!.v;

  it('gives the same mean and spread in any row order, where avg() does not', async () => {
    expect(await one(`SELECT avg(x) AS v FROM up`)).not.toBe(await one(`SELECT avg(x) AS v FROM down`));
    expect(await one(`SELECT ${stableAvg('x')} AS v FROM up`)).toBe(await one(`SELECT ${stableAvg('x')} AS v FROM down`));
    expect(await one(`SELECT ${stableStddevPop('x')} AS v FROM up`)).toBe(await one(`SELECT ${stableStddevPop('x')} AS v FROM down`));
  });

  it('agrees with the exact mean and spread to a millionth', async () => {
    const mean = VALUES.reduce((a, b) => a + b, 0) / VALUES.length;
    const sd = Math.sqrt(VALUES.reduce((a, b) => a + (b - mean) ** 2, 0) / VALUES.length);
    expect(Math.abs((await one(`SELECT ${stableAvg('x')} AS v FROM up`)) - mean)).toBeLessThan(1e-6);
    expect(Math.abs((await one(`SELECT ${stableStddevPop('x')} AS v FROM up`)) - sd) / sd).toBeLessThan(1e-6);
  });

  it('survives corrupt values: huge ones are clamped to 1e9, NaN counts as missing', async () => {
    await engine.exec(`CREATE TABLE corrupt AS SELECT * FROM (VALUES (1.0), (1e300), ('NaN'::DOUBLE), ('-Infinity'::DOUBLE)) v(x)`);
    expect(await one(`SELECT ${stableAvg('x')} AS v FROM corrupt`)).toBeCloseTo(1 / 3, 6);
    expect(await one(`SELECT ${stableAvg('x')} AS v FROM corrupt WHERE x < 2`)).toBeCloseTo((1 - 1e9) / 2, 6);
    expect(Number.isFinite(await one(`SELECT ${stableStddevPop('x')} AS v FROM corrupt`))).toBe(true);
  });
});
