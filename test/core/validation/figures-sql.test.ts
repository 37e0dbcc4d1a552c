/**
 * Production figures from SQL (figures-sql.ts) on DuckDB: the distributions come back as 201-point
 * sketches that a Kolmogorov-Smirnov check can compare with a synthetic run's raw samples as if they
 * were the production samples themselves.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import type { SqlEngine } from '../../../lib/core/types';
import { productionFigures } from '../../../lib/core/validation/figures-sql';
import { ksTwoSample } from '../../../lib/core/validation/stats';

const START = 1_700_000_000;

/** A long-tailed think time (seconds) for page i, deterministic. */
const thinkOf = (i: number): number => Math.round(4000 * -Math.log(1 - (((i + 1) * 0.618034) % 1) * 0.999)) / 1000;

interface Fixture {
  engine: DuckDbEngine;
  /** Raw think times and pages per session, per persona. */
  raw: Record<string, { think: number[]; pages: number[] }>;
  /** Every page request, with its persona and session start. */
  requests: { persona: string; endpoint: string; method: string; status: number; t: number; sessionStart: number }[];
}

async function fixture(): Promise<Fixture> {
  const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB' });
  await engine.exec(`CREATE TABLE ev (sid BIGINT, is_asset BOOLEAN, endpoint VARCHAR, method VARCHAR, status INTEGER, think_s DOUBLE, t_start DOUBLE)`);
  await engine.exec(`CREATE TABLE se (sid BIGINT, pages BIGINT, start DOUBLE)`);
  await engine.exec(`CREATE TABLE pe (sid BIGINT, persona VARCHAR)`);
  const raw: Fixture['raw'] = { browser: { think: [], pages: [] }, poller: { think: [], pages: [] } };
  const events: string[] = [];
  const sessions: string[] = [];
  const personas: string[] = [];
  const requests: Fixture['requests'] = [];
  let page = 0;
  for (let sid = 1; sid <= 600; sid++) {
    // Browsers read a varying number of pages with long-tailed think times; pollers fetch 3 pages, 5 s apart.
    const persona = sid % 3 === 0 ? 'poller' : 'browser';
    const pages = persona === 'poller' ? 3 : 1 + (sid % 7);
    const start = START + sid * 60;
    for (let p = 1; p <= pages; p++) {
      const think = p === 1 ? null : persona === 'poller' ? 5 : thinkOf(page++);
      if (think !== null) raw[persona]!.think.push(think);
      // A browser's second page adds to its cart, and one in five of those fails.
      const [method, path] = persona === 'browser' && p === 2 ? ['POST', '/cart'] : ['GET', '/p'];
      const status = method === 'POST' && sid % 5 === 0 ? 500 : 200;
      events.push(`(${sid}, false, '${method} ${path}', '${method}', ${status}, ${think ?? 'NULL'}, ${start + p})`);
      requests.push({ persona, endpoint: `${method} ${path}`, method, status, t: start + p, sessionStart: start });
    }
    events.push(`(${sid}, true, 'GET /app.js', 'GET', 200, NULL, ${start})`);
    raw[persona]!.pages.push(pages);
    sessions.push(`(${sid}, ${pages}, ${start})`);
    personas.push(`(${sid}, '${persona}')`);
  }
  await engine.exec(`INSERT INTO ev VALUES ${events.join(', ')}`);
  await engine.exec(`INSERT INTO se VALUES ${sessions.join(', ')}`);
  await engine.exec(`INSERT INTO pe VALUES ${personas.join(', ')}`);
  return { engine, raw, requests };
}

describe('productionFigures (SQL)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(() => f.engine.close());

  const figures = () => productionFigures(f.engine, { events: 'ev', sessions: 'se', personas: 'pe' }, { start: START, end: START + 86_400 });

  it('sketches each distribution in 201 points from its minimum to its maximum', async () => {
    const fig = await figures();
    const browser = f.raw['browser']!;
    for (const [sketch, sample] of [
      [fig.perPersona!['browser']!.thinkTimes, browser.think],
      [fig.perPersona!['browser']!.requestsPerSession, browser.pages],
      [fig.thinkTimes, [...browser.think, ...f.raw['poller']!.think]],
    ] as const) {
      expect(sketch).toHaveLength(201);
      expect(sketch[0]).toBe(Math.min(...sample));
      expect(sketch[200]).toBe(Math.max(...sample));
      expect([...sketch].sort((a, b) => a - b)).toEqual(sketch);
      // The check compares a synthetic sample with the sketch: it must stand for the sample closely.
      expect(ksTwoSample(sketch, sample).d).toBeLessThan(0.01);
    }
  });

  it('keeps integer distributions integer, so the KS check sees the same steps as in the raw counts', async () => {
    const fig = await figures();
    expect(fig.requestsPerSession.every((v) => Number.isInteger(v))).toBe(true);
    expect(new Set(fig.perPersona!['poller']!.requestsPerSession)).toEqual(new Set([3]));
    expect(new Set(fig.perPersona!['poller']!.thinkTimes)).toEqual(new Set([5]));
  });

  it('counts endpoints, rates, sessions, arrivals and the peak for the whole traffic and each persona', async () => {
    const fig = await figures();
    const hourOfWeek = (t: number) => ((new Date(t * 1000).getUTCDay() + 6) % 7) * 24 + new Date(t * 1000).getUTCHours();
    for (const [slice, persona] of [[fig, undefined], [fig.perPersona!['browser']!, 'browser'], [fig.perPersona!['poller']!, 'poller']] as const) {
      const pages = f.requests.filter((r) => persona === undefined || r.persona === persona);
      const count = (by: (r: (typeof pages)[number]) => string | number) =>
        pages.reduce<Record<string, number>>((acc, r) => ({ ...acc, [by(r)]: (acc[by(r)] ?? 0) + 1 }), {});
      expect(slice.endpointCounts).toEqual(count((r) => r.endpoint));
      expect(slice.pages).toBe(pages.length);
      expect(slice.errorRate).toBeCloseTo(pages.filter((r) => r.status >= 400).length / pages.length, 12);
      expect(slice.writeRatio).toBeCloseTo(pages.filter((r) => r.method === 'POST').length / pages.length, 12);
      const starts = new Set(pages.map((r) => r.sessionStart));
      expect(slice.sessions).toBe(starts.size);
      const how = new Array<number>(168).fill(0);
      for (const start of starts) how[hourOfWeek(start)]! += 1;
      expect(slice.arrivalsByHourOfWeek).toEqual(how);
      expect(slice.peakRps).toBeCloseTo(Math.max(...Object.values(count((r) => Math.floor((r.t - START) / 3600)))) / 3600, 12);
    }
    expect(fig.perPersona!['poller']!.errorRate).toBe(0);
    expect(fig.perPersona!['browser']!.writeRatio).toBeGreaterThan(0.1);
  });

  it('sends every query before awaiting any, so the caller can simulate while the engine works', async () => {
    const received: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const engine: SqlEngine = {
      dialect: 'duckdb',
      exec: (sql) => f.engine.exec(sql),
      query: async <T,>(sql: string) => {
        received.push(sql);
        await held;
        return f.engine.query<T>(sql);
      },
    };
    const pending = productionFigures(engine, { events: 'ev', sessions: 'se', personas: 'pe' }, { start: START, end: START + 86_400 });
    expect(received).toHaveLength(7);
    release();
    expect((await pending).sessions).toBe((await figures()).sessions);
  });

  it('gives an empty sketch to a slice without values', async () => {
    await f.engine.exec(`INSERT INTO ev VALUES (9999, false, 'GET /p', 'GET', 200, NULL, ${START + 10})`);
    await f.engine.exec(`INSERT INTO se VALUES (9999, 1, ${START + 10})`);
    await f.engine.exec(`INSERT INTO pe VALUES (9999, 'one_pager')`);
    const fig = await figures();
    expect(fig.perPersona!['one_pager']!.thinkTimes).toEqual([]);
    expect(new Set(fig.perPersona!['one_pager']!.requestsPerSession)).toEqual(new Set([1]));
  });
});
