/** The sampling predicate executed for real in DuckDB: same buckets as the TypeScript hash, sessions whole. */
import { DuckDBInstance } from '@duckdb/node-api';
import { sessionBucket, sessionBucketSql, sessionSample, sessionSamplePredicate } from '../../../lib/core/cost';

describe('session sampling', () => {
  it('rounds the wanted fraction down to the bucket resolution, never to zero', () => {
    expect(sessionSample(0.123456, 10_000)).toEqual({ fraction: 0.1234, buckets: 10_000, threshold: 1234 });
    expect(sessionSample(1e-9, 10_000).threshold).toBe(1);
    expect(sessionSample(3, 100).fraction).toBe(1);
    expect(() => sessionSample(0, 100)).toThrow(/> 0/);
  });

  it('puts a session key in the same bucket in DuckDB as in TypeScript (and so as in Athena)', async () => {
    // Given a few hundred session keys
    const keys = Array.from({ length: 300 }, (_, i) => `10.0.${i % 7}.${i}|Mozilla/5.0 (X11; Linux) #${i}`);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run('CREATE TABLE s(k VARCHAR)');
      const app = await conn.createAppender('s');
      for (const k of keys) { app.appendVarchar(k); app.endRow(); }
      app.closeSync();
      // When DuckDB computes the bucket with the rendered SQL
      const reader = await conn.runAndReadAll(`SELECT k, ${sessionBucketSql('k', 1000, 'duckdb')} AS b FROM s`);
      const rows = reader.getRowObjects() as { k: string; b: bigint }[];
      // Then every bucket equals the TypeScript computation
      for (const r of rows) expect(Number(r.b)).toBe(sessionBucket(r.k, 1000));
    } finally {
      conn.closeSync();
    }
  });

  it('keeps whole sessions: every request of a kept session is kept, about the asked share of sessions', async () => {
    // Given 2000 sessions with 3 requests each
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run(`CREATE TABLE r AS SELECT 'sess-' || (i // 3) AS session_key, i AS n FROM range(6000) t(i)`);
      const sample = sessionSample(0.3, 10_000);
      // When filtered with the sampling predicate
      const reader = await conn.runAndReadAll(
        `SELECT session_key, count(*) AS c FROM r WHERE ${sessionSamplePredicate('session_key', sample, 'duckdb')} GROUP BY 1`,
      );
      const rows = reader.getRowObjects() as { session_key: string; c: bigint }[];
      // Then kept sessions have all 3 requests and about 30% of sessions are kept
      expect(rows.every((row) => Number(row.c) === 3)).toBe(true);
      expect(rows.length / 2000).toBeGreaterThan(0.26);
      expect(rows.length / 2000).toBeLessThan(0.34);
    } finally {
      conn.closeSync();
    }
  });
});
