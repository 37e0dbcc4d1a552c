/**
 * The sessionizing statement (sessionize.ts) against a plain reference written from its definition:
 * sort each actor's requests, split at inactivity gaps, number the pages, hang each asset on the page
 * before it, measure think times from the previous page of the same session. The traffic is built to
 * reach the statement's edges: an actor with far more sessions than a join block holds, one session
 * spanning many blocks, sessions of assets only, and requests that start at the same instant.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { sessionizeSql } from '../../../lib/core/sessions/sessionize';
import { DUCKDB } from '../../../lib/core/sql/dialect';
import { seededRandom } from '../../../lib/core/personas/random';

const GAP = 1800;
const T0 = 1_790_000_000;

interface Req {
  id: number;
  ip: string;
  ua: string;
  t_start: number;
  t_end: number;
  method: string;
  path: string;
  status: number;
}

const isAsset = (r: Req) => r.path.endsWith('.png');

/** One row per request: its session (named by its smallest request id), page number and think time. */
interface Expected {
  id: number;
  session: number;
  page_no: number;
  is_asset: boolean;
  think_s: number | null;
}

function reference(reqs: readonly Req[]): Expected[] {
  const byActor = new Map<string, Req[]>();
  for (const r of reqs) {
    const key = `${r.ip}|${r.ua}`;
    const rows = byActor.get(key);
    if (rows) rows.push(r);
    else byActor.set(key, [r]);
  }
  const cmp = (a: Req, b: Req) =>
    a.t_start - b.t_start || Number(isAsset(a)) - Number(isAsset(b)) || a.t_end - b.t_end ||
    (a.method < b.method ? -1 : a.method > b.method ? 1 : 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.status - b.status;
  const out: Expected[] = [];
  for (const rows of byActor.values()) {
    const sorted = [...rows].sort(cmp);
    const sessions: Req[][] = [];
    sorted.forEach((r, i) => {
      if (i === 0 || r.t_start - sorted[i - 1]!.t_end > GAP) sessions.push([]);
      sessions.at(-1)!.push(r);
    });
    for (const s of sessions) {
      const assetOnly = s.every(isAsset);
      let pages = 0;
      let prevPage: Req | undefined;
      const name = Math.min(...s.map((r) => r.id));
      s.forEach((r, i) => {
        const asset = isAsset(r) && !assetOnly;
        if (!asset) pages++;
        const think = assetOnly ? (i === 0 ? null : Math.max(0, r.t_start - s[i - 1]!.t_end)) : asset || !prevPage ? null : Math.max(0, r.t_start - prevPage.t_end);
        out.push({ id: r.id, session: name, page_no: assetOnly ? i + 1 : pages, is_asset: asset, think_s: think });
        if (!asset) prevPage = r;
      });
    }
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Traffic that reaches every edge of the statement, from a fixed seed. */
function traffic(): Req[] {
  const rnd = seededRandom(7);
  const reqs: Req[] = [];
  const add = (ip: string, ua: string, t: number, path: string, took = 0.05) =>
    reqs.push({ id: reqs.length, ip, ua, t_start: t, t_end: t + took, method: 'GET', path, status: 200 });
  // A poller: 150 short sessions an hour apart, far more than one join block's worth.
  for (let s = 0; s < 150; s++) for (let p = 0; p <= s % 3; p++) add('10.0.0.1', 'poller/1.0', T0 + s * 3600 + p * 5, `/status/${p}`);
  // One long session of 400 requests, pages and their assets, spanning several join blocks.
  for (let i = 0; i < 400; i++) add('10.0.0.2', 'Mozilla/5.0', T0 + i * 10, i % 4 === 0 ? `/page/${i}` : `/img/${i}.png`, 0.2);
  // Sessions of assets only (hotlinked images), between sessions with pages.
  for (let s = 0; s < 6; s++) for (let i = 0; i < 5; i++) add('10.0.0.3', 'feed-reader', T0 + s * 7200 + i * 3, s % 2 ? `/a/${i}.png` : `/p/${i}`);
  // Requests that start at the same instant: a page and its assets, and two pages.
  for (const t of [T0, T0 + 1, T0 + 5000]) {
    add('10.0.0.4', 'Mozilla/5.0', t, '/home');
    add('10.0.0.4', 'Mozilla/5.0', t, '/logo.png');
    add('10.0.0.4', 'Mozilla/5.0', t, '/about');
  }
  // Ordinary actors with random gaps, some longer than the inactivity gap.
  for (let a = 0; a < 40; a++) {
    let t = T0 + Math.floor(rnd() * 86_400);
    for (let i = 0; i < 5 + Math.floor(rnd() * 60); i++) {
      t += rnd() < 0.1 ? GAP + 1 + rnd() * 20_000 : rnd() * 120;
      add(`10.1.0.${a}`, 'Mozilla/5.0', Math.round(t * 1000) / 1000, rnd() < 0.4 ? `/x/${i}.png` : `/y/${i % 7}`, rnd());
    }
  }
  return reqs;
}

test('sessions, page numbers and think times match the reference at every edge', async () => {
  const reqs = traffic();
  const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB' });
  try {
    await engine.exec(`CREATE TABLE reqs (id INTEGER, t_start DOUBLE, t_end DOUBLE, client_ip VARCHAR, user_agent VARCHAR, session_key VARCHAR,
      host VARCHAR, method VARCHAR, path VARCHAR, query VARCHAR, status INTEGER, response_ms DOUBLE)`);
    await engine.exec(`INSERT INTO reqs VALUES ${reqs
      .map((r) => `(${r.id}, ${r.t_start}, ${r.t_end}, '${r.ip}', '${r.ua}', NULL, 'h', '${r.method}', '${r.path}', '', ${r.status}, 1)`)
      .join(', ')}`);
    await engine.exec(`CREATE TABLE pt AS SELECT DISTINCT path, path AS template, ends_with(path, '.png') AS is_asset FROM reqs`);
    await engine.exec(`CREATE TABLE qt (query VARCHAR, suffix VARCHAR)`);
    // The request id rides along as a carried column, so each event can be matched to its request.
    const events = sessionizeSql(DUCKDB, { requests: 'reqs', pathTemplates: 'pt', queryTemplates: 'qt' }, { gapSeconds: GAP, carry: ['id'] });
    const got = await engine.query<Expected>(
      `SELECT id, min(id) OVER (PARTITION BY sid) AS session, page_no, is_asset, round(think_s, 6) AS think_s FROM (${events}) e ORDER BY id`,
    );
    const expected = reference(reqs).map((e) => ({ ...e, think_s: e.think_s === null ? null : Math.round(e.think_s * 1e6) / 1e6 }));
    expect(got.length).toBe(reqs.length);
    expect(new Set(got.map((g) => g.session)).size).toBeGreaterThan(200);
    expect(got).toEqual(expected);
  } finally {
    engine.close();
  }
});
