/**
 * Production figures from SQL (figures-sql.ts) on DuckDB: the distributions come back as 201-point
 * sketches that a Kolmogorov-Smirnov check can compare with a synthetic run's raw samples as if they
 * were the production samples themselves.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { productionFigures } from '../../../lib/core/validation/figures-sql';
import { ksTwoSample } from '../../../lib/core/validation/stats';

const START = 1_700_000_000;

/** A long-tailed think time (seconds) for page i, deterministic. */
const thinkOf = (i: number): number => Math.round(4000 * -Math.log(1 - (((i + 1) * 0.618034) % 1) * 0.999)) / 1000;

interface Fixture {
  engine: DuckDbEngine;
  /** Raw think times and pages per session, per persona. */
  raw: Record<string, { think: number[]; pages: number[] }>;
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
  let page = 0;
  for (let sid = 1; sid <= 600; sid++) {
    // Browsers read a varying number of pages with long-tailed think times; pollers fetch 3 pages, 5 s apart.
    const persona = sid % 3 === 0 ? 'poller' : 'browser';
    const pages = persona === 'poller' ? 3 : 1 + (sid % 7);
    const start = START + sid * 60;
    for (let p = 1; p <= pages; p++) {
      const think = p === 1 ? null : persona === 'poller' ? 5 : thinkOf(page++);
      if (think !== null) raw[persona]!.think.push(think);
      events.push(`(${sid}, false, 'GET /p', 'GET', 200, ${think ?? 'NULL'}, ${start + p})`);
    }
    events.push(`(${sid}, true, 'GET /app.js', 'GET', 200, NULL, ${start})`);
    raw[persona]!.pages.push(pages);
    sessions.push(`(${sid}, ${pages}, ${start})`);
    personas.push(`(${sid}, '${persona}')`);
  }
  await engine.exec(`INSERT INTO ev VALUES ${events.join(', ')}`);
  await engine.exec(`INSERT INTO se VALUES ${sessions.join(', ')}`);
  await engine.exec(`INSERT INTO pe VALUES ${personas.join(', ')}`);
  return { engine, raw };
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

  it('gives an empty sketch to a slice without values', async () => {
    await f.engine.exec(`INSERT INTO ev VALUES (9999, false, 'GET /p', 'GET', 200, NULL, ${START + 10})`);
    await f.engine.exec(`INSERT INTO se VALUES (9999, 1, ${START + 10})`);
    await f.engine.exec(`INSERT INTO pe VALUES (9999, 'one_pager')`);
    const fig = await figures();
    expect(fig.perPersona!['one_pager']!.thinkTimes).toEqual([]);
    expect(new Set(fig.perPersona!['one_pager']!.requestsPerSession)).toEqual(new Set([1]));
  });
});
