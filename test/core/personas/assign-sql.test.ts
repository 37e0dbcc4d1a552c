import {
  assignColumns,
  assignPersonasSql,
  assignSession,
  fitPersonas,
  isMachineUserAgent,
  machineUserAgentSql,
  personaStatsFromRows,
  personaStatsSql,
  summarisePersonas,
  type PersonaFit,
} from '../../../lib/core/personas';
import type { SqlRow } from '../../../lib/core/types';
import { loadColumns, openDuck, type Duck } from './duckdb-helpers';
import { pickRows, rowAt, syntheticSessions, type SyntheticSessions } from './synthetic-sessions';

describe('persona assignment in SQL', () => {
  let duck: Duck;
  let data: SyntheticSessions;
  let kmeansFit: PersonaFit;
  let dbscanFit: PersonaFit;

  beforeAll(async () => {
    // Given 20k sessions in DuckDB (is_bot_ua as BOOLEAN, as the features SQL makes it) and fits on a sample
    data = syntheticSessions(20_000, 21);
    duck = await openDuck();
    await loadColumns(duck, 'session_features', data.columns);
    const sample = pickRows(data.columns, Array.from({ length: 8_000 }, (_, i) => i * 2));
    kmeansFit = fitPersonas(sample);
    dbscanFit = fitPersonas(sample, { algorithm: 'dbscan' });
  });

  afterAll(() => duck.close());

  it.each(['kmeans', 'dbscan'] as const)('gives every session the same persona as the JS assigner (%s)', async (algorithm) => {
    const fit = algorithm === 'kmeans' ? kmeansFit : dbscanFit;
    // When DuckDB evaluates the assignment expression over all sessions
    const rows = await duck.rows(`${assignPersonasSql(fit, 'session_features', ['rid'])} ORDER BY rid`);
    // Then it agrees with the JS assignment on every row, sampled or not
    const js = assignColumns(fit, data.columns);
    expect(rows.map((r) => r['persona'])).toEqual(js);
    expect(new Set(js).size).toBeGreaterThan(2);
  });

  it('assigns a single row object like the column assigner, with booleans and missing values', () => {
    const js = assignColumns(kmeansFit, data.columns);
    for (const i of [0, 1, 2, 500, 19_999]) expect(assignSession(kmeansFit, rowAt(data.columns, i))).toBe(js[i]);
    expect(assignSession(kmeansFit, { is_bot_ua: true })).toBe('bot_crawler');
    expect(assignSession(kmeansFit, { robots_hits: 1, pages: 3 })).toBe('bot_crawler');
  });

  it('summarises per-persona counts and means computed in SQL', async () => {
    // When the stats query runs over all sessions
    const rows = await duck.rows(personaStatsSql(kmeansFit, 'session_features'));
    const stats = personaStatsFromRows(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as SqlRow));
    const file = summarisePersonas(kmeansFit, stats.counts, stats.centroids);
    // Then counts cover every session and centroids are means in original units
    expect(file.personas.reduce((s, p) => s + p.sessions, 0)).toBe(data.n);
    const power = file.personas.find((p) => p.name === 'power_user')!;
    expect(power.centroid['pages']).toBeGreaterThan(15);
    expect(power.centroid['pages']).toBeLessThan(40);
  });

  it('marks HTTP-library user agents in SQL as in JS', async () => {
    const agents = [
      'curl/8.4.0', 'python-requests/2.31.0', 'okhttp/4.12.0', 'Go-http-client/1.1', 'Java/17.0.2', 'axios/1.6.2',
      'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
      "O'Reilly_100%_browser", 'Googlebot/2.1',
    ];
    const values = agents.map((a) => `('${a.replace(/'/g, "''")}')`).join(', ');
    const rows = await duck.rows(`SELECT ua, ${machineUserAgentSql('ua')} AS m FROM (VALUES ${values}) AS t(ua)`);
    expect(rows.map((r) => Number(r['m']))).toEqual(agents.map((a) => (isMachineUserAgent(a) ? 1 : 0)));
    expect(rows.map((r) => Number(r['m']))).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
  });

  it('assigns 1M sessions in DuckDB within seconds (printed, not asserted)', async () => {
    // Given 1M sessions built in SQL from the 20k, with jitter so no two repeat exactly
    await duck.connection.run(
      `CREATE TABLE million AS SELECT s.* REPLACE (s.pages * (1 + (r.i % 7) * 0.01) AS pages) FROM session_features s, (SELECT range AS i FROM range(50)) r`,
    );
    // When the assignment runs over all of them
    const started = performance.now();
    const rows = await duck.rows(`SELECT persona, count(*) AS n FROM (${assignPersonasSql(kmeansFit, 'million', [])}) a GROUP BY persona`);
    const seconds = (performance.now() - started) / 1000;
    // Then every session has a persona
    console.log(`assigned 1,000,000 sessions in ${seconds.toFixed(2)} s (${rows.length} personas)`);
    expect(rows.reduce((s, r) => s + Number(r['n']), 0)).toBe(1_000_000);
  });
});
