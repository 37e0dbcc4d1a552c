/**
 * The page statistics of the model (model/persona-stats-sql.ts) on a handful of hand-written pages,
 * where every count can be checked by eye: states merge by support within each persona, transitions
 * run from `$entry` to `$exit`, think times are the gaps after a page, an asset loaded twice by one
 * page is one visit of that page, and a cap on sessions per persona samples by session id.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import {
  pageTablesSql, personaStatsSql, resourcesSql, stateStatsSql, transitionsSql, type StatsOptions, type StatsTables,
} from '../../../lib/core/model/persona-stats-sql';
import { DUCKDB } from '../../../lib/core/sql/dialect';

const T: StatsTables = {
  events: 'ev', modelSessions: 'ms', endpointStates: 'es', pages: 'pg', sessions: 'se', personas: 'sp', pathParams: 'pp', queryParams: 'qp',
};
const O: StatsOptions = { minStateSupport: 2, minStateThinkSamples: 1, arrivalBucketSeconds: 3600, paramPoolSize: 5, minResourceShare: 0.3, maxSessionsPerPersona: 10 };

/** The same events with at most two sessions per persona in the page statistics. */
const CAPPED: StatsTables = { ...T, modelSessions: 'ms2', endpointStates: 'es2', pages: 'pg2' };

/** sid, page_no, method, template, is_asset, think_s (before the page), status. */
type Row = [number, number, string, string, boolean, number | null, number];
const EVENTS: Row[] = [
  // Persona a, session 1: home (loads app.js twice and app.css), product (loads app.js), a cart POST.
  [1, 1, 'GET', '/', false, null, 200],
  [1, 1, 'GET', '/app.js', true, null, 200],
  [1, 1, 'GET', '/app.js', true, null, 200],
  [1, 1, 'GET', '/app.css', true, null, 200],
  [1, 2, 'GET', '/p', false, 4, 200],
  [1, 2, 'GET', '/app.js', true, null, 200],
  [1, 3, 'POST', '/cart', false, 6, 500],
  // Session 2: home (app.js), product, then leaves.
  [2, 1, 'GET', '/', false, null, 200],
  [2, 1, 'GET', '/app.js', true, null, 200],
  [2, 2, 'GET', '/p', false, 10, 200],
  // Session 3: home, a rare read, a rare write.
  [3, 1, 'GET', '/', false, null, 200],
  [3, 2, 'GET', '/rare', false, 2, 404],
  [3, 3, 'POST', '/x', false, 8, 200],
  // Persona b, session 4: one visit of the home page, too few to be a state of its own for b.
  [4, 1, 'GET', '/', false, null, 200],
];

describe('page statistics', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '128MB' });
    const values = EVENTS.map(([sid, pageNo, method, template, asset, think, status]) =>
      `(${sid}, ${pageNo}, '${method}', '${template}', '${method} ${template}', ${asset}, ${think ?? 'NULL'}, ${status}, 100.0)`);
    await engine.exec(`CREATE TABLE ev AS SELECT * FROM (VALUES ${values.join(', ')})
      v(sid, page_no, method, template, endpoint, is_asset, think_s, status, response_ms)`);
    await engine.exec(`CREATE TABLE sp AS SELECT * FROM (VALUES (1, 'a'), (2, 'a'), (3, 'a'), (4, 'b')) v(sid, persona)`);
    await engine.exec(`CREATE TABLE se AS SELECT * FROM (VALUES (1, 3, 3, 10.0, 0.0, 0.0), (2, 2, 2, 5.0, 0.0, 0.0), (3, 3, 3, 9.0, 0.0, 0.0), (4, 1, 1, 0.0, 0.0, 0.0))
      v(sid, pages, requests, duration_s, error_rate, write_ratio)`);
    for (const t of pageTablesSql(DUCKDB, T, O)) await engine.exec(DUCKDB.createTableAs(t.name, t.sql));
    for (const t of pageTablesSql(DUCKDB, CAPPED, { ...O, maxSessionsPerPersona: 2 })) await engine.exec(DUCKDB.createTableAs(t.name, t.sql));
  });
  afterAll(() => engine.close());

  it('merges endpoints with too few pages in their persona into other (reads) and other_write (writes)', async () => {
    const rows = await engine.query<{ persona: string; state: string; endpoint: string; n: number; share: number }>(
      `SELECT persona, state, endpoint, n, share FROM (${stateStatsSql(DUCKDB, T)}) s ORDER BY persona, endpoint`,
    );
    expect(rows.map((r) => [r.persona, r.state, r.endpoint, r.n])).toEqual([
      ['a', 'GET /', 'GET /', 3],
      ['a', 'GET /p', 'GET /p', 2],
      ['a', 'other', 'GET /rare', 1],
      ['a', 'other_write', 'POST /cart', 1],
      ['a', 'other_write', 'POST /x', 1],
      ['b', 'other', 'GET /', 1],
    ]);
    expect(rows[0]!.share).toBeCloseTo(3 / 8, 12);
    expect(rows[5]!.share).toBe(1);
  });

  it('counts entries, transitions and exits by state', async () => {
    const rows = await engine.query<{ persona: string; from_state: string; to_state: string; n: number }>(
      `SELECT * FROM (${transitionsSql(DUCKDB, T)}) t ORDER BY persona, from_state, to_state`,
    );
    expect(rows.map((r) => `${r.persona}: ${r.from_state} -> ${r.to_state} x${r.n}`)).toEqual([
      'a: $entry -> GET / x3',
      'a: GET / -> GET /p x2',
      'a: GET / -> other x1',
      'a: GET /p -> $exit x1',
      'a: GET /p -> other_write x1',
      'a: other -> other_write x1',
      'a: other_write -> $exit x2',
      'b: $entry -> other x1',
      'b: other -> $exit x1',
    ]);
  });

  it('takes the think time after a page from the page that follows it', async () => {
    const states = await engine.query<{ endpoint: string; think_n: number; think_mean: number }>(
      `SELECT endpoint, think_n, think_mean FROM (${stateStatsSql(DUCKDB, T)}) s WHERE persona = 'a' ORDER BY endpoint`,
    );
    expect(states.map((s) => [s.endpoint, s.think_n, s.think_mean])).toEqual([
      ['GET /', 3, (4 + 10 + 2) / 3],
      ['GET /p', 1, 6],
      ['GET /rare', 1, 8],
      ['POST /cart', 0, null],
      ['POST /x', 0, null],
    ]);
    const personas = await engine.query<{ persona: string; think_n: number; think_mean: number }>(
      `SELECT persona, think_n, think_mean FROM (${personaStatsSql(DUCKDB, T)}) p ORDER BY persona`,
    );
    expect(personas.map((p) => [p.persona, p.think_n, p.think_mean])).toEqual([['a', 5, 6], ['b', 0, null]]);
  });

  it('counts an asset once per page visit that loaded it, however often it was fetched', async () => {
    const rows = await engine.query<{ persona: string; state: string; resource: string; share: number }>(
      `SELECT * FROM (${resourcesSql(DUCKDB, T, O)}) r ORDER BY persona, state, resource`,
    );
    expect(rows.map((r) => [r.state, r.resource, Number(r.share.toFixed(4))])).toEqual([
      ['GET /', '/app.css', 0.3333],
      ['GET /', '/app.js', 0.6667],
      ['GET /p', '/app.js', 0.5],
    ]);
  });

  it('with a cap, reads the sessions with the smallest ids of each persona and still counts every session', async () => {
    const sampled = await engine.query<{ sid: number; persona: string }>(`SELECT sid, persona FROM ms2 ORDER BY sid`);
    expect(sampled.map((r) => [r.sid, r.persona])).toEqual([[1, 'a'], [2, 'a'], [4, 'b']]);
    const states = await engine.query<{ persona: string; state: string; n: number }>(
      `SELECT persona, state, n FROM (${stateStatsSql(DUCKDB, CAPPED)}) s ORDER BY persona, endpoint`,
    );
    expect(states.map((r) => [r.persona, r.state, r.n])).toEqual([['a', 'GET /', 2], ['a', 'GET /p', 2], ['a', 'other_write', 1], ['b', 'other', 1]]);
    const personas = await engine.query<{ persona: string; sessions: number; sampled_sessions: number; requests_mean: number }>(
      `SELECT persona, sessions, sampled_sessions, requests_mean FROM (${personaStatsSql(DUCKDB, CAPPED)}) p ORDER BY persona`,
    );
    expect(personas.map((p) => [p.persona, p.sessions, p.sampled_sessions, p.requests_mean])).toEqual([['a', 3, 2, 2.5], ['b', 1, 1, 1]]);
  });
});
