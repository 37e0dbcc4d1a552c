import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateLogs } from '../../../lib/adapters/generate-logs';
import { truncateFile } from '../../../lib/adapters/fs-log-sink';
import { demoWorld } from '../../../lib/core/simulate/demo-world';
import { formatSpec } from '../../../lib/core/simulate/formats';
import { MemorySink } from '../../../lib/core/simulate/sink';
import { simulateSessions } from '../../../lib/core/simulate/simulate';
import type { SimSession } from '../../../lib/core/simulate/simulate';
import { ALB_FIELDS, ALB_LINE_REGEX } from '../../../lib/core/simulate/write-alb';
import { CLOUDFRONT_FIELDS } from '../../../lib/core/simulate/write-cloudfront';
import { CSV_COLUMNS } from '../../../lib/core/simulate/write-csv';
import { writeLogs } from '../../../lib/core/simulate/write-logs';
import { LOG_FORMATS } from '../../../lib/core/types';
import type { LogFormat } from '../../../lib/core/types';

const world = demoWorld({ days: 2 });
const sessions: SimSession[] = [...simulateSessions(world, { sessions: 400, seed: 21 })];
const requestCount = sessions.reduce((a, s) => a + s.requests.length, 0);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'loadprint-sim-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Splits an ALB line the way ALB writes it: spaces separate fields, double quotes group them. */
function albTokens(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

async function inMemory(format: LogFormat, malformed = 0): Promise<{ sink: MemorySink; lines: string[] }> {
  const sink = new MemorySink();
  await writeLogs(formatSpec(format, { seed: 21 }), sessions, sink, { seed: 21, malformed });
  const lines = [...sink.files.entries()]
    .filter(([p]) => p.startsWith('logs/'))
    .flatMap(([, f]) => f.text.split('\n'))
    .filter((l) => l.length > 0);
  return { sink, lines };
}

function readLog(file: string): string {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('ALB writer', () => {
  it('writes every field of the current ALB format, parseable with the documented regex', async () => {
    // Given the simulated sessions written as ALB logs
    const { lines } = await inMemory('alb');
    // Then there is one line per request, each with the 33 fields, matching the Athena regex
    expect(lines).toHaveLength(requestCount);
    for (const line of lines) {
      expect(albTokens(line)).toHaveLength(ALB_FIELDS.length);
      expect(ALB_LINE_REGEX.test(line)).toBe(true);
    }
    expect(ALB_FIELDS).toHaveLength(33);
  });

  it('logs time as the response end and request_creation_time as the request start', async () => {
    // Given the first session's page request
    const s = sessions[0] as SimSession;
    const r = s.requests.find((x) => !x.isAsset);
    const { lines } = await inMemory('alb');
    // When its line is found by its request creation time and client
    const fields = lines.map(albTokens).find((f) => f[3]?.startsWith(`${s.clientIp}:`) && f[12]?.includes(` https://${r?.host}:443${r?.path} `));
    // Then time and request_creation_time are the request's end and start, and the URL is complete
    expect(fields).toBeDefined();
    const f = fields as string[];
    expect(Date.parse(f[1] ?? '') / 1000).toBeCloseTo(r?.tEnd ?? 0, 3);
    expect(Date.parse(f[21] ?? '') / 1000).toBeCloseTo(r?.tStart ?? 0, 3);
    expect(f[13]).toBe(s.userAgent);
    expect(f[29]).toMatch(/^TID_[0-9a-f]{32}$/);
    expect(f[2]).toBe('app/shop-prod/50dc6c495c0c9188');
  });

  it('lays files out as ALB delivers them to S3: per node, per 5 minutes, gzip, roughly ordered', async () => {
    // Given ALB logs generated to disk
    const r = await generateLogs({ format: 'alb', outDir: path.join(tmp, 'alb'), sessions: 300, seed: 4, days: 2 });
    const files = walk(r.logsDir).map((f) => path.relative(r.logsDir, f));
    // Then each file sits under AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd with ALB's name
    const name = /^AWSLogs\/123456789012\/elasticloadbalancing\/us-east-1\/(\d{4})\/(\d{2})\/(\d{2})\/123456789012_elasticloadbalancing_us-east-1_app\.shop-prod\.50dc6c495c0c9188_(\d{8})T(\d{2})(\d{2})Z_(\d+\.\d+\.\d+\.\d+)_[a-z0-9]{8}\.log\.gz$/;
    expect(files.length).toBe(r.files.length);
    const nodes = new Set<string>();
    for (const f of files) {
      const m = name.exec(f);
      expect(m).not.toBeNull();
      if (!m) continue;
      expect(`${m[1]}${m[2]}${m[3]}`).toBe(m[4]);
      expect(Number(m[6]) % 5).toBe(0);
      nodes.add(m[7] ?? '');
      // Every line of the file falls in the 5 minutes before the file's end time
      const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[5]), Number(m[6])) / 1000;
      const times = readLog(path.join(r.logsDir, f)).trim().split('\n').map((l) => Date.parse(albTokens(l)[1] ?? '') / 1000);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(end - 300);
      expect(Math.max(...times)).toBeLessThan(end);
    }
    expect(nodes.size).toBe(2);
    // And the truth file names each session's persona and client
    const truth = readFileSync(r.truthFile as string, 'utf8').trim().split('\n');
    expect(truth[0]).toBe('session_id,persona,client_ip,user_agent,start,requests');
    expect(truth).toHaveLength(301);
  });

  it('writes the same bytes for the same seed', async () => {
    const a = await generateLogs({ format: 'alb', outDir: path.join(tmp, 'det-a'), sessions: 150, seed: 9, days: 1 });
    const b = await generateLogs({ format: 'alb', outDir: path.join(tmp, 'det-b'), sessions: 150, seed: 9, days: 1 });
    expect(a.files).toEqual(b.files);
    for (const f of a.files) expect(readFileSync(path.join(tmp, 'det-a', f)).equals(readFileSync(path.join(tmp, 'det-b', f)))).toBe(true);
  });
});

describe('other formats', () => {
  it('CloudFront: version and fields headers, 33 tab-separated fields, encoded user agent, session cookie', async () => {
    const { sink } = await inMemory('cloudfront');
    const files = [...sink.files.keys()].filter((p) => p.startsWith('logs/'));
    expect(files.every((p) => /^logs\/E2QWRUHEXAMPLE\.\d{4}-\d{2}-\d{2}-\d{2}\.[0-9a-f]{8}\.gz$/.test(p))).toBe(true);
    const text = sink.text(files[0] as string);
    const [version, fields, ...rows] = text.trim().split('\n');
    expect(version).toBe('#Version: 1.0');
    expect(fields).toBe(`#Fields: ${CLOUDFRONT_FIELDS.join(' ')}`);
    for (const row of rows) expect(row.split('\t')).toHaveLength(33);
    const browserRow = rows.map((r) => r.split('\t')).find((c) => c[12] !== '-');
    expect(browserRow?.[10]).toMatch(/^Mozilla\/5\.0%20\(/);
    expect(browserRow?.[12]).toMatch(/^session_id=[0-9a-f]{32};%20_ga=/);
  });

  it('combined: the nginx combined format with a trailing request time', async () => {
    const { lines } = await inMemory('combined');
    expect(lines).toHaveLength(requestCount);
    const re = /^(\S+) - - \[(\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000)\] "(\w+) (\S+) HTTP\/1\.1" (\d{3}) (\d+) "([^"]*)" "([^"]*)" (\d+\.\d{3})$/;
    for (const l of lines) expect(re.test(l)).toBe(true);
  });

  it('JSON lines and CSV: the named columns, one record per request, user agents with commas quoted', async () => {
    const { lines: json } = await inMemory('jsonl');
    expect(json).toHaveLength(requestCount);
    const rec = JSON.parse(json[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(rec).sort()).toEqual([...CSV_COLUMNS].sort());
    const { lines: csv } = await inMemory('csv');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv).toHaveLength(requestCount + 1);
    const withComma = csv.find((l) => l.includes('(KHTML, like Gecko)'));
    expect(withComma).toMatch(/,"Mozilla\/5\.0 [^"]*\(KHTML, like Gecko\)[^"]*",/);
  });

  it.each(LOG_FORMATS)('%s: injects exactly the malformed lines asked for', async (format) => {
    // Given a run with 7 malformed lines requested
    const { lines } = await inMemory(format, 7);
    // Then the output holds the good lines plus exactly 7 more
    const headerLines = format === 'csv' ? 1 : format === 'cloudfront' ? lines.filter((l) => l.startsWith('#')).length : 0;
    expect(lines.length - headerLines).toBe(requestCount + 7);
    if (format === 'alb') expect(lines.filter((l) => albTokens(l).length !== 33 || !/^h2|^https/.test(l)).length).toBeGreaterThanOrEqual(4);
  });

  it('can truncate a gzip file the way an interrupted upload leaves it', async () => {
    const r = await generateLogs({ format: 'combined', outDir: path.join(tmp, 'gz'), sessions: 60, seed: 2, days: 1, gzip: true });
    const file = path.join(r.outDir, r.files[0] as string);
    expect(() => gunzipSync(readFileSync(file))).not.toThrow();
    truncateFile(file, 0.6);
    expect(() => gunzipSync(readFileSync(file))).toThrow();
  });
});
