/**
 * Log pipelines' carriers: which one a file's lines share, and the access-log line each carries, in
 * JavaScript (sniffing) and in DuckDB (the parse) alike.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { carriedLine, carriedLineSql, carrierOf, type Carrier } from '../../../lib/core/ingest/line-carriers';
import { sqlString } from '../../../lib/core/sql/dialect';

const ACCESS = '192.0.2.1 - - [28/Nov/2026:09:15:02 +0000] "GET /a?q=\\"x\\" HTTP/1.1" 200 5 "-" "curl/8"';

const CARRIED: [Carrier, string[]][] = [
  ['line-header', [
    `Nov 28 09:15:02 web-1 nginx: ${ACCESS}`,
    `<190>2026-11-28T09:15:02.123456+00:00 web-1 nginx[811]: ${ACCESS}`,
    `2026-11-28T09:15:02.123456789Z ${ACCESS}`,
    `2026-11-28T09:15:02.123456789Z stderr F ${ACCESS}`,
  ]],
  ['docker-json', [JSON.stringify({ log: `${ACCESS}\n`, stream: 'stdout', time: '2026-11-28T09:15:02.123456789Z' })]],
];

describe('line carriers', () => {
  test.each(CARRIED)('%s: found, and the access line taken out whole, in JavaScript and in DuckDB', async (carrier, lines) => {
    expect(carrierOf(lines)).toBe(carrier);
    for (const line of lines) expect(carriedLine(line, carrier)).toBe(ACCESS);
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      const values = lines.map((l) => `(${sqlString(l)})`).join(', ');
      const rows = await engine.query<{ carried: string }>(`SELECT ${carriedLineSql(carrier, 'line')} AS carried FROM (VALUES ${values}) v(line)`);
      expect(rows.map((r) => r.carried)).toEqual(lines.map(() => ACCESS));
    } finally {
      engine.close();
    }
  });

  test('a line its carrier does not hold stays as it is, to be rejected and counted by the parse', async () => {
    const stray = 'panic: runtime error';
    expect(carriedLine(stray, 'docker-json')).toBe(stray);
    expect(carriedLine(stray, 'line-header')).toBe(stray);
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      const [row] = await engine.query<{ carried: string }>(`SELECT ${carriedLineSql('docker-json', sqlString('{"log": broken'))} AS carried`);
      expect(row!.carried).toBe('{"log": broken');
    } finally {
      engine.close();
    }
  });

  test('lines of no carrier, or too few carried ones, have none', () => {
    expect(carrierOf([ACCESS, ACCESS])).toBeUndefined();
    expect(carrierOf([`2026-11-28T09:15:02Z ${ACCESS}`, ACCESS, ACCESS])).toBeUndefined();
    expect(carrierOf([])).toBeUndefined();
  });
});
