/**
 * Session features (sessions/session-features.ts) on a few hand-written events: the client's address,
 * agent and flags, and the distinct endpoints, are gathered apart from the other measures and must
 * still describe each session as a whole: a session that moved between clients keeps its first
 * address in sort order and is a bot if any of its clients is one.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { DEFAULTS } from '../../../lib/core/config';
import { sessionFeaturesSql } from '../../../lib/core/sessions/session-features';
import { DUCKDB } from '../../../lib/core/sql/dialect';

/** sid, client_id, t_start, method, template, is_asset, status, think_s. */
type Row = [number, number, number, string, string, boolean, number, number | null];
const EVENTS: Row[] = [
  // Session 1, one browser: the home page twice, a product page, two assets.
  [1, 10, 0, 'GET', '/', false, 200, null],
  [1, 10, 1, 'GET', '/app.js', true, 200, null],
  [1, 10, 5, 'GET', '/p/{id}', false, 200, 4],
  [1, 10, 9, 'GET', '/', false, 200, 3],
  [1, 10, 9.5, 'GET', '/app.js', true, 304, null],
  // Session 2, one session id seen from two clients (the phone changed networks), one of them a bot agent.
  [2, 20, 100, 'GET', '/cart', false, 200, null],
  [2, 21, 110, 'POST', '/cart', false, 500, 8],
];
const CLIENTS = [
  [10, '198.51.100.7', 'Mozilla/5.0 (X11)', false, false],
  [20, '203.0.113.9', 'Mozilla/5.0 (iPhone)', false, false],
  [21, '192.0.2.44', 'Googlebot/2.1', true, false],
];

describe('session features', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '128MB' });
    const rows = EVENTS.map(([sid, client, t, method, template, asset, status, think]) =>
      `(${sid}, ${client}, ${t}, ${t + 0.1}, '${method}', '${template}', '${template}', '${method} ${template}', ${asset}, ${status}, 50.0, ${think ?? 'NULL'})`);
    await engine.exec(`CREATE TABLE ev AS SELECT * FROM (VALUES ${rows.join(', ')})
      v(sid, client_id, t_start, t_end, method, path, template, endpoint, is_asset, status, response_ms, think_s)`);
    const clients = CLIENTS.map(([id, ip, ua, bot, machine]) => `(${id}, '${ip}', '${ua}', ${bot}, ${machine})`);
    await engine.exec(`CREATE TABLE cl AS SELECT * FROM (VALUES ${clients.join(', ')}) v(client_id, client_ip, user_agent, is_bot_ua, machine_ua)`);
  });
  afterAll(() => engine.close());

  const features = async () =>
    engine.query<Record<string, number | string | boolean>>(
      `SELECT * FROM (${sessionFeaturesSql(DUCKDB, { events: 'ev', clients: 'cl' }, DEFAULTS.ingest)}) f ORDER BY sid`,
    );

  it('counts requests, pages and distinct page endpoints per session, assets apart', async () => {
    const [one, two] = await features();
    expect([one!['requests'], one!['pages'], one!['unique_endpoints'], one!['asset_ratio']]).toEqual([5, 3, 2, 0.4]);
    expect([two!['requests'], two!['pages'], two!['unique_endpoints'], two!['write_ratio']]).toEqual([2, 2, 2, 0.5]);
    expect(two!['checkout_share']).toBe(1);
  });

  it('describes a session seen from several clients by all of them', async () => {
    const [one, two] = await features();
    expect([one!['client_ip'], one!['user_agent'], one!['is_bot_ua']]).toEqual(['198.51.100.7', 'Mozilla/5.0 (X11)', false]);
    expect([two!['client_ip'], two!['user_agent'], two!['is_bot_ua'], two!['machine_ua']]).toEqual(['192.0.2.44', 'Googlebot/2.1', true, false]);
  });

  it('keeps the session file columns in their order', async () => {
    const [one] = await features();
    expect(Object.keys(one!).slice(0, 9)).toEqual(['sid', 'session_id', 'client_ip', 'user_agent', 'start', 'end', 'requests', 'pages', 'unique_endpoints']);
    expect(Object.keys(one!).slice(-2)).toEqual(['is_bot_ua', 'machine_ua']);
  });
});
