/**
 * Sessionizing in parts (build-sessions.ts): past `partRows` requests, the requests are split by actor
 * and sessionized one part at a time. The parts must give exactly the sessions one statement gives,
 * for actors keyed by client IP + user agent (ALB) and by an explicit session id (JSON lines), and
 * for real logs with "-" user agents and crawlers.
 */
import path from 'node:path';
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { discoverInputs } from '../../../lib/core/ingest/discover-inputs';
import { ingest, PARSED_TABLE } from '../../../lib/core/ingest/ingest';
import { buildSessions, sessionizeParts, sessionOptions, TABLES } from '../../../lib/core/sessions/build-sessions';
import { EVENT_COLUMNS } from '../../../lib/core/sessions/sessionize';
import { cachedLogs } from '../../helpers/generated-logs';

/** Real Apache combined logs (shared/data/real): unsorted seconds, "-" user agents, crawlers. */
const REAL_COMBINED = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'real', 'apache-semicomplete', 'apache_logs');

interface Sessionized {
  events: string[];
  sessions: string[];
  /** Statements that wrote events (one per part). */
  statements: number;
}

async function sessionize(logs: string, partRows: number): Promise<Sessionized> {
  const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '512MB' });
  let statements = 0;
  const exec = engine.exec.bind(engine);
  engine.exec = async (sql: string) => {
    if (new RegExp(`^(CREATE OR REPLACE TABLE|INSERT INTO) ${TABLES.events}\\b`).test(sql)) statements++;
    return exec(sql);
  };
  try {
    const { files } = await discoverInputs([logs]);
    const ingested = await ingest(engine, files, new Set(), { format: 'auto', sessionCookieNames: [], rejectedSamples: 0 });
    const gap = ingested.explicitSessions ? Infinity : sessionOptions().gapSeconds;
    await buildSessions(engine, PARSED_TABLE, { ...sessionOptions(gap), partRows });
    const rows = async (sql: string) => (await engine.query<Record<string, unknown>>(sql)).map((r) => JSON.stringify(r));
    return {
      events: await rows(`SELECT ${EVENT_COLUMNS.join(', ')} FROM ${TABLES.events} ORDER BY ALL`),
      sessions: await rows(`SELECT * FROM ${TABLES.sessions} ORDER BY sid`),
      statements,
    };
  } finally {
    engine.close();
  }
}

describe('sessionizing in parts', () => {
  test.each([
    ['ALB (actors are client IP + user agent)', () => cachedLogs('day-alb-1500', { format: 'alb', sessions: 1500, seed: 11, days: 1 })],
    ['JSON lines (actors are session ids)', () => cachedLogs('day-jsonl-1500', { format: 'jsonl', sessions: 1500, seed: 12, days: 1 })],
  ])('%s: parts give the sessions one statement gives', async (_name, logs) => {
    const { logsDir } = await logs();
    const whole = await sessionize(logsDir, Number.MAX_SAFE_INTEGER);
    const parts = await sessionize(logsDir, 2_000);
    expect(whole.statements).toBe(1);
    expect(parts.statements).toBeGreaterThan(5);
    expect(parts.sessions.length).toBeGreaterThan(1000);
    expect(parts.sessions).toEqual(whole.sessions);
    expect(parts.events).toEqual(whole.events);
  }, 120_000);

  test('real logs with "-" user agents and crawlers: parts give the same sessions', async () => {
    const whole = await sessionize(REAL_COMBINED, Number.MAX_SAFE_INTEGER);
    const parts = await sessionize(REAL_COMBINED, 500);
    expect(parts.statements).toBeGreaterThan(1);
    expect(parts.sessions).toEqual(whole.sessions);
    expect(parts.events).toEqual(whole.events);
  }, 120_000);

  test('parts grow with the square root of the requests, so re-reading them does not grow with its square', () => {
    const sizes = { partRows: 1_200_000, maxPartRows: Infinity };
    expect(sessionizeParts(0, sizes)).toBe(1);
    expect(sessionizeParts(1_200_000, sizes)).toBe(1);
    expect(sessionizeParts(1_200_001, sizes)).toBe(2);
    expect(sessionizeParts(10_000_000, sizes)).toBe(6);
    expect(sessionizeParts(30_000_000, sizes)).toBe(10);
    // Ten times the requests: about three times the parts, each about three times as large.
    const ratio = sessionizeParts(300_000_000, sizes) / sessionizeParts(30_000_000, sizes);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(3.3);
    expect(sessionizeParts(10_000_000, { ...sizes, partRows: 0 })).toBe(1);
  });

  test('no part holds more than the largest part size: past it, parts are added', () => {
    const sizes = { partRows: 1_200_000, maxPartRows: 3_000_000 };
    expect(sessionizeParts(30_000_000, sizes)).toBe(10);
    expect(sessionizeParts(100_000_000, sizes)).toBe(34);
    for (const requests of [5e6, 3e7, 1e8, 1e9]) expect(requests / sessionizeParts(requests, sizes)).toBeLessThanOrEqual(3_000_000);
  });
});
