/**
 * The persona fit's sample: the sessions with the smallest ids, found below an id bound when there are
 * many sessions. The bound is a shortcut, never a different sample: the rows must be those a sort of
 * every session gives, whether the ids are the uniform hashes sessionizing makes or not.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { DEFAULTS } from '../../../lib/core/config';
import { fitSampleRows, sidBound } from '../../../lib/core/pipeline/cluster-sessions';

const SIZE = DEFAULTS.personas.fitSampleSize;

describe('the persona fit sample', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '512MB' });
  });
  afterAll(() => engine.close());

  const sortedSample = (table: string) => engine.query(`SELECT pages FROM ${table} ORDER BY sid LIMIT ${SIZE}`);

  test('with more sessions than the sample, it is the smallest ids, read below a bound', async () => {
    // Given 1.5x the sample's size in sessions, with ids hashed as sessionizing hashes them
    const sessions = Math.round(SIZE * 1.5);
    await engine.exec(`CREATE TABLE uniform AS SELECT CAST(hash(i) >> 1 AS BIGINT) AS sid, i AS pages FROM range(${sessions}) t(i)`);
    const bound = sidBound(sessions, SIZE)!;
    expect(bound).toBeDefined();
    // When the sample is read
    const rows = await fitSampleRows(engine, 'uniform', ['pages']);
    // Then it is the sample a sort of every session gives, and the bound did the narrowing
    expect(rows).toEqual(await sortedSample('uniform'));
    const [below] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM uniform WHERE sid < ${bound}`);
    expect(below!.n).toBeGreaterThanOrEqual(SIZE);
    expect(below!.n).toBeLessThan(sessions);
  });

  test('ids that are not uniform fall back to sorting every session', async () => {
    // Given sessions whose ids all lie above the bound but a few
    const sessions = Math.round(SIZE * 1.5);
    const high = 2n ** 63n - 10n * BigInt(sessions);
    await engine.exec(`CREATE TABLE skewed AS SELECT CASE WHEN i < 100 THEN i ELSE ${high} + i END AS sid, i AS pages FROM range(${sessions}) t(i)`);
    // When the sample is read, it is still the smallest ids
    const rows = await fitSampleRows(engine, 'skewed', ['pages']);
    expect(rows).toHaveLength(SIZE);
    expect(rows).toEqual(await sortedSample('skewed'));
  });

  test('up to the sample size (and a margin), every session is sorted: no bound', () => {
    expect(sidBound(SIZE, SIZE)).toBeUndefined();
    expect(sidBound(Math.floor(SIZE * DEFAULTS.personas.fitSampleOversampling), SIZE)).toBeUndefined();
    expect(sidBound(1_000_000, SIZE)! < 2n ** 63n / 40n).toBe(true);
  });
});
