/**
 * `loadprint run` end to end, once per log format, on generated logs whose sessions are known, and on
 * the real public logs in shared/data/real (messy: unsorted seconds, "-" agents, junk lines).
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDbEngine } from '../../lib/adapters/duckdb-engine';
import type { LogFormat, Manifest, PersonasFile, TrafficModel } from '../../lib/core/types';
import { cachedLogs } from '../helpers/generated-logs';
import { expectReadAlike, readRun, runCli } from '../helpers/cli';
import { NETNEA_LAYOUT, REAL_LOGS as REAL } from '../helpers/real-logs';
import { reconstructed } from '../helpers/reconstructed';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'lp-run-'));

/** Writes `lines` to a new file `name`, runs loadprint on it with `args` and expects success: the run folder. */
async function runOnLines(name: string, lines: readonly string[], args: readonly string[] = []) {
  const dir = tmp();
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const out = path.join(dir, 'run');
  const r = await runCli(['run', file, '--out', out, ...args]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return { out, ...readRun(out) };
}

const START_RESOLUTION: Record<LogFormat, number> = { alb: 0.001, cloudfront: 2, combined: 1, jsonl: 0.001, csv: 0.001 };

describe('loadprint run reads every supported format', () => {
  const formats: LogFormat[] = ['alb', 'cloudfront', 'combined', 'jsonl', 'csv'];
  test.each(formats)('%s logs become sessions.csv and manifest.json, every line accounted for', async (format) => {
    // Given generated logs of a known set of sessions
    const logs = await cachedLogs(`fmt-${format}-400`, { format, sessions: 400, seed: 11, days: 2 });
    const out = path.join(tmp(), 'run');

    // When the user runs loadprint on the folder, format detected automatically
    const r = await runCli(['run', logs.logsDir, '--out', out]);

    // Then it succeeds, detects the format, reads every line and rebuilds the sessions
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { manifest, sessions } = readRun(out);
    expect(manifest.status).toBe('succeeded');
    expect(manifest.format).toBe(format);
    expect(manifest.lines).toMatchObject({ read: logs.lines, parsed: logs.lines, rejected: 0 });
    expect(sessions.length).toBeGreaterThan(0);
    expect(Object.keys(sessions[0]!)).toEqual(['session_id', 'client_ip', 'user_agent', 'start', 'end', 'requests', 'persona']);
    expect(sessions[0]!['start']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(reconstructed(logs.truthFile, sessions, START_RESOLUTION[format])).toBeGreaterThanOrEqual(0.97);
  });
});

describe('loadprint run copes with real public logs as they are', () => {
  test('Apache combined log of a personal site (crawlers, assets, unsorted seconds)', async () => {
    const out = path.join(tmp(), 'run');
    const r = await runCli(['run', path.join(REAL, 'apache-semicomplete', 'apache_logs'), '--out', out]);
    expect(r.code).toBe(0);
    const { manifest, sessions } = readRun(out);
    expect(manifest.format).toBe('combined');
    expect(manifest.lines).toMatchObject({ read: 10000, parsed: 10000, rejected: 0 });
    // 1,753 distinct IPs; several agents per IP and returning visitors make more sessions than IPs.
    expect(sessions.length).toBeGreaterThan(1753);
    expect(sessions.length).toBeLessThan(10000);
  });

  test('web-mail behind a proxy: the users who send mail are writers, not buyers', async () => {
    const out = path.join(tmp(), 'run');
    const r = await runCli(['run', path.join(REAL, 'netnea-webmail-2015'), '--out', out]);
    expect(r.code).toBe(0);
    const personas = (JSON.parse(readFileSync(path.join(out, 'personas.json'), 'utf8')) as PersonasFile).personas;
    const writer = personas.find((p) => p.name === 'writer');
    expect(writer?.evidence.map((e) => e.feature)).toEqual(['write_ratio', 'checkout_share']);
    expect(writer!.share).toBeGreaterThan(0.5);
    expect(personas.map((p) => p.name)).not.toContain('buyer');
  });

  test('Common Log Format (the same real log cut after the bytes field) is read, agents as "-"', async () => {
    const combined = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').split('\n').filter(Boolean);
    // ip ident user [time] "request" status bytes: the first three quote-delimited parts of each line.
    const common = combined.map((line) => line.split('"').slice(0, 3).join('"').trimEnd());
    const { manifest, sessions } = await runOnLines('access_log', common);
    expect(manifest.format).toBe('combined');
    expect(manifest.lines).toMatchObject({ read: 10000, parsed: 10000, rejected: 0 });
    expect(new Set(sessions.map((s) => s['user_agent']))).toEqual(new Set(['-']));
    // Without agents, an IP's visitors merge into one actor: fewer sessions than with them (> 1,753 IPs).
    expect(sessions.length).toBeGreaterThan(1000);
    expect(sessions.length).toBeLessThan(3224);
  });

  test('Apache vhost_combined (host:port first) gives the same sessions as combined, and keeps the host', async () => {
    const combined = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').split('\n').filter(Boolean);
    const plain = await runOnLines('access.log', combined);
    const vhost = await runOnLines('other_vhosts_access.log', combined.map((line) => `www.example.com:443 ${line}`));
    expect(vhost.manifest.format).toBe('combined');
    expect(vhost.manifest.lines).toEqual(plain.manifest.lines);
    expect(vhost.sessions).toEqual(plain.sessions);
    const hosts = (out: string) => (JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel).productionHosts;
    expect(hosts(vhost.out)).toEqual(['www.example.com']);
    expect(hosts(plain.out)).toEqual([]);
  });

  test('extended Apache format: 408 lines without a request and junk requests are rejected, counted apart, with samples', async () => {
    const out = path.join(tmp(), 'run');
    const r = await runCli(['run', path.join(REAL, 'netnea-cms-2016', 'tutorial-5-example-access.log'), '--out', out]);
    expect(r.code).toBe(0);
    const { manifest } = readRun(out);
    // 41 connections that sent no request ("-" 408) and 4 that sent `quit`, not an HTTP request.
    expect(manifest.lines.rejectedByReason).toEqual({ no_request: 41, bad_request: 4 });
    expect(manifest.lines.parsed).toBe(10000 - 45);
    expect(manifest.lines.samples.length).toBeGreaterThan(0);
    const sample = manifest.lines.samples[0]!;
    expect(sample.line).toBeGreaterThan(0);
    // PII never leaves sessions.csv: client IPs in samples are masked.
    expect(sample.text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
  });

  test('extended Apache format with its LogFormat: the response times far past the agent are read', async () => {
    // Given the layout the server was configured with (SOURCE.md): %D, microseconds, is the 14th field after the agent
    const layout = NETNEA_LAYOUT;
    const out = path.join(tmp(), 'run');
    const r = await runCli(['run', path.join(REAL, 'netnea-cms-2016', 'tutorial-5-example-access.log'), '--out', out, '--log-format', layout]);
    expect(r.code).toBe(0);

    // Then the same lines read as without it, and the model and report carry measured response times
    const { manifest } = readRun(out);
    expect(manifest.format).toBe('combined');
    expect(manifest.options['logFormat']).toBe(layout);
    // 41 connections that sent no request ("-" 408) and 4 that sent `quit`, not an HTTP request.
    expect(manifest.lines.rejectedByReason).toEqual({ no_request: 41, bad_request: 4 });
    const model = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel;
    expect(model.productionHosts).toEqual(['www.example.com']);
    const feed = model.personas.flatMap((p) => p.states).filter((s) => s.path === '/cms/feed/');
    expect(feed.length).toBeGreaterThan(0);
    // The feed takes 78-144 ms in the first lines of the log (%D 77038-144443).
    for (const state of feed) expect(state.responseTimeMs.p50).toBeGreaterThan(20);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).not.toMatch(/not logged/);
    expect(readFileSync(path.join(out, 'scenarios', 'k6', 'script.js'), 'utf8')).toMatch(/http_req_duration/);
  });

  test('header-less CSV without a column map: its columns are read by their values, as the map would read them', async () => {
    // Given the RUET export, run once with the map and once without
    const dir = tmp();
    const file = path.join(REAL, 'ruet-oj-2017', 'weblog.csv');
    const [mapped, bare] = await Promise.all([
      runCli(['run', file, '--out', path.join(dir, 'mapped'), '--columns', 'client_ip=1,timestamp=2,request=3,status=4']),
      runCli(['run', file, '--out', path.join(dir, 'bare')]),
    ]);
    // Then both read, the second saying which columns it took
    expect([mapped.code, bare.code]).toEqual([0, 0]);
    expect(bare.stderr).toMatch(/warning: read the columns of a CSV without a header by their values \(client_ip=1, timestamp=2, request=3, status=4\); --columns maps them otherwise/);
    expect(mapped.stderr).not.toMatch(/by their values/);
    // And into the same lines, sessions and personas
    const a = readRun(path.join(dir, 'mapped')).manifest;
    const b = readRun(path.join(dir, 'bare')).manifest;
    expect(b.lines).toEqual(a.lines);
    expect(b.sessions).toEqual(a.sessions);
    expect(readFileSync(path.join(dir, 'bare', 'personas.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'mapped', 'personas.json'), 'utf8'));
  });

  test('header-less CSV with a column map: the 273 junk rows are rejected, the rest read', async () => {
    const out = path.join(tmp(), 'run');
    const r = await runCli([
      'run', path.join(REAL, 'ruet-oj-2017', 'weblog.csv'), '--out', out,
      '--columns', 'client_ip=1,timestamp=2,request=3,status=4',
    ]);
    expect(r.code).toBe(0);
    const { manifest } = readRun(out);
    expect(manifest.format).toBe('csv');
    expect(manifest.lines).toMatchObject({ read: 16062, parsed: 15789, rejected: 273 });
  });

  test.each([
    ['JSON lines', 'a.jsonl', (t: string, i: number) => JSON.stringify({ timestamp: t, client_ip: '192.0.2.7', method: 'GET', path: `/p/${i}`, status: 200 })],
    ['CSV', 'a.csv', (t: string, i: number) => (i === 0 ? `timestamp,client_ip,method,path,status\n` : '') + `${t},192.0.2.7,GET,/p/${i},200`],
    ['combined', 'a.log', (t: string, i: number) => `192.0.2.7 - - [${t}] "GET /p/${i} HTTP/1.1" 200 5 "-" "curl/8"`],
  ])('%s behind a UTF-8 byte-order mark (Excel\'s "CSV UTF-8", PowerShell 5) read as without one', async (_name, file, line) => {
    // Given two requests 10 s apart (a short file: the mark's line counts in telling the format), a byte-order mark first
    const dir = tmp();
    const at = (i: number) => (file === 'a.log' ? `28/Nov/2026:09:${String(Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')} +0000` : new Date(Date.UTC(2026, 10, 28, 9, 0, i * 10)).toISOString());
    const text = Array.from({ length: 2 }, (_, i) => line(at(i), i)).join('\n');
    writeFileSync(path.join(dir, file), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\n`)]));
    // When it is run
    const r = await runCli(['run', path.join(dir, file), '--out', path.join(dir, 'run')]);
    // Then every line is read, and the first line's client is the client, not the mark
    expect(r.stderr).not.toMatch(/could be read|warning/);
    expect(r.code).toBe(0);
    expect(readRun(path.join(dir, 'run')).manifest.lines).toMatchObject({ read: 2, parsed: 2, rejected: 0 });
    expect(readFileSync(path.join(dir, 'run', 'sessions.csv'), 'utf8').split('\n')[1]).toContain(',192.0.2.7,');
  });

  test.each([
    ['the Apache log', path.join('apache-semicomplete', 'apache_logs'), [] as string[]],
    ['the RUET CSV, header-less', path.join('ruet-oj-2017', 'weblog.csv'), ['--columns', 'client_ip=1,timestamp=2,request=3,status=4']],
  ])('%s saved as UTF-16 (as a Windows PowerShell redirect writes it, gzipped or not) reads as its UTF-8 original', async (_name, file, args) => {
    // Given the real log, and copies of it in UTF-16LE with a byte-order mark, plain and gzipped
    const dir = tmp();
    const original = readFileSync(path.join(REAL, file));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(original.toString('utf8'), 'utf16le')]);
    writeFileSync(path.join(dir, 'utf16.log'), utf16);
    writeFileSync(path.join(dir, 'utf16.log.gz'), gzipSync(utf16));
    // When each is run
    const runs = await Promise.all([path.join(REAL, file), path.join(dir, 'utf16.log'), path.join(dir, 'utf16.log.gz')].map(async (input, i) => {
      const out = path.join(dir, `run-${i}`);
      const r = await runCli(['run', input, '--out', out, ...args]);
      expect(r.stderr).not.toMatch(/internal error|binary/);
      expect(r.code).toBe(0);
      return { ...readRun(out), model: JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel };
    }));
    // Then the copies read the same lines into the same sessions and the same model
    const [utf8, ...copies] = runs;
    // Rejected lines keep their text and line number; only the file they name differs.
    const lines = (m: Manifest) => ({ ...m.lines, samples: m.lines.samples.map(({ file: _file, ...sample }) => sample) });
    for (const copy of copies) {
      expect(lines(copy.manifest)).toEqual(lines(utf8!.manifest));
      expect(copy.sessions).toEqual(utf8!.sessions);
      expect({ ...copy.model, generatedAt: '' }).toEqual({ ...utf8!.model, generatedAt: '' });
    }
  });

  test('the Apache log carried by syslog (BSD headers, rsyslog\'s ISO stamps, gzipped), Kubernetes (kubectl --timestamps, the node\'s files) or Docker (json-file) reads as the log itself', async () => {
    // Given the real log as rsyslog stores what nginx's `access_log syslog:` sends, with either header,
    // as `kubectl logs --timestamps` prints it, as the node's /var/log/containers file holds it, and as
    // Docker's json-file driver writes it
    const dir = tmp();
    const original = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').trimEnd().split('\n');
    const two = (n: number) => String(n).padStart(2, '0');
    const bsd = original.map((l, i) => `May 17 10:${two(Math.floor(i / 60) % 60)}:${two(i % 60)} web-1 nginx: ${l}`);
    const iso = original.map((l, i) => `2015-05-17T10:${two(Math.floor(i / 60) % 60)}:${two(i % 60)}.123456+00:00 web-1 nginx[811]: ${l}`);
    writeFileSync(path.join(dir, 'syslog'), `${bsd.join('\n')}\n`);
    writeFileSync(path.join(dir, 'nginx-access.log.gz'), gzipSync(`${iso.join('\n')}\n`));
    const stamp = (i: number) => `2015-05-17T10:${two(Math.floor(i / 60) % 60)}:${two(i % 60)}.123456789Z`;
    writeFileSync(path.join(dir, 'kubectl.log'), `${original.map((l, i) => `${stamp(i)} ${l}`).join('\n')}\n`);
    writeFileSync(path.join(dir, 'web-7f9c_shop_nginx-0a1b.log'), `${original.map((l, i) => `${stamp(i)} stdout F ${l}`).join('\n')}\n`);
    // When each is run
    const docker = original.map((l, i) => JSON.stringify({ log: `${l}\n`, stream: 'stdout', time: stamp(i) }));
    writeFileSync(path.join(dir, '3f2a9c-json.log'), `${docker.join('\n')}\n`);
    const inputs = ['syslog', 'nginx-access.log.gz', 'kubectl.log', 'web-7f9c_shop_nginx-0a1b.log', '3f2a9c-json.log'].map((f) => path.join(dir, f));
    const runs = await Promise.all([path.join(REAL, 'apache-semicomplete', 'apache_logs'), ...inputs].map(async (input, i) => {
      const out = path.join(dir, `run-${i}`);
      const r = await runCli(['run', input, '--out', out]);
      expect(r.code).toBe(0);
      return readRun(out);
    }));
    // Then the carried copies read every line into the same sessions as the log itself
    const [plain, ...shipped] = runs;
    for (const copy of shipped) {
      expect(copy.manifest).toMatchObject({ format: 'combined', lines: { read: 10000, parsed: 10000, rejected: 0 } });
      expect(copy.sessions).toEqual(plain!.sessions);
    }
  });

  test('the Apache log saved as Latin-1 (as Windows tools export it, gzipped or not) reads as its UTF-8 original, with a warning', async () => {
    // Given the real log with characters past ASCII in its agents and paths, in UTF-8 and in Latin-1
    const dir = tmp();
    const text = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').replace(/Mozilla/g, 'M\u00f6zilla').replace(/\/images\//g, '/im\u00e1genes/');
    const inputs = [
      path.join(dir, 'utf8.log'),
      path.join(dir, 'latin1.log'),
      path.join(dir, 'latin1.log.gz'),
    ];
    writeFileSync(inputs[0]!, Buffer.from(text, 'utf8'));
    writeFileSync(inputs[1]!, Buffer.from(text, 'latin1'));
    writeFileSync(inputs[2]!, gzipSync(Buffer.from(text, 'latin1')));
    // When each is run
    const runs = await Promise.all(inputs.map(async (input, i) => {
      const out = path.join(dir, `run-${i}`);
      const r = await runCli(['run', input, '--out', out]);
      expect(r.code).toBe(0);
      return { ...readRun(out), model: JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel };
    }));
    // Then the copies read every line, as the same text, into the same sessions and the same model
    const [utf8, ...copies] = runs;
    expect(utf8!.manifest.lines).toMatchObject({ read: 10000, rejected: 0 });
    expect(utf8!.sessions.some((s) => s['user_agent']!.includes('M\u00f6zilla'))).toBe(true);
    for (const [i, copy] of copies.entries()) {
      expectReadAlike(copy, utf8!);
      expect({ ...copy.model, generatedAt: '' }).toEqual({ ...utf8!.model, generatedAt: '' });
      // And say which encoding they were read as
      expect(copy.manifest.warnings).toEqual([`read ${inputs[i + 1]} as Latin-1 (ISO-8859-1): not UTF-8 text`]);
    }
    expect(utf8!.manifest.warnings).toEqual([]);
  });

  test('the Apache log compressed with zstd (as logrotate can), named .zst or not, reads as the original', async () => {
    // Given the real log, and zstd copies of it (written by DuckDB), with and without the .zst name
    const dir = tmp();
    const original = path.join(REAL, 'apache-semicomplete', 'apache_logs');
    const copies = [path.join(dir, 'access.log.1.zst'), path.join(dir, 'access.log.2')];
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB' });
    try {
      for (const copy of copies) {
        await engine.exec(`COPY (SELECT line FROM read_csv('${original}', columns = {'line': 'VARCHAR'}, delim = '\u0001', quote = '', escape = '',
          header = false, auto_detect = false)) TO '${copy}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u0001', COMPRESSION zstd)`);
      }
    } finally {
      engine.close();
    }
    expect([...readFileSync(copies[1]!).subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    // When each is run
    const runs = await Promise.all([original, ...copies].map(async (input, i) => {
      const out = path.join(dir, `run-${i}`);
      const r = await runCli(['run', input, '--out', out]);
      expect(r.code).toBe(0);
      return readRun(out);
    }));
    // Then the copies read the same lines into the same sessions
    const [plain, ...zstd] = runs;
    for (const copy of zstd) expectReadAlike(copy, plain!);
  });

  test('JSON lines whose first line is longer than the sniffed head (a logged stack trace) are still JSON lines, gzipped or not', async () => {
    const dir = tmp();
    const stack = Array.from({ length: 400 }, (_, i) => `    at handler (/srv/app/routes/checkout.js:${i}:17)`).join('\n');
    const lines = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({ timestamp: `2026-11-01T10:00:${String(i * 5).padStart(2, '0')}Z`, method: 'GET', path: `/p/${i}`, status: i === 0 ? 500 : 200, client_ip: '10.0.0.1', ...(i === 0 ? { error: stack } : {}) }),
    );
    expect(lines[0]!.length).toBeGreaterThan(16 * 1024);
    const text = `${lines.join('\n')}\n`;
    writeFileSync(path.join(dir, 'app.jsonl'), text);
    writeFileSync(path.join(dir, 'app.jsonl.gz'), gzipSync(text));
    for (const name of ['app.jsonl', 'app.jsonl.gz']) {
      const out = path.join(dir, `run-${name}`);
      const r = await runCli(['run', path.join(dir, name), '--out', out]);
      expect(r.code).toBe(0);
      expect(readRun(out).manifest).toMatchObject({ format: 'jsonl', lines: { read: 8, parsed: 8, rejected: 0 } });
    }
  });

  test("JSON and CSV logs that name their columns as nginx's JSON template, Traefik, Caddy, pino-http, Istio, API Gateway, Google Cloud or Cloudflare do are read without --columns, and the run says how", async () => {
    // Given one week-day of four visitors, written as nginx's escape=json template, as Traefik's JSON
    // access log, as Caddy's and Node pino-http's (nested: request objects), as a CSV export with nginx's
    // names and as Istio's JSON access log (Envoy's keys; each request on a new connection, so a new port)
    const visits = Array.from({ length: 24 }, (_, i) => ({
      at: Date.UTC(2026, 10, 2, 10, 0, i * 20),
      ip: `198.51.100.${i % 4}`,
      path: `/p/${i % 6}?ref=${i % 2}`,
      status: i % 11 === 0 ? 503 : 200,
      seconds: 0.004 + (i % 5) / 1000,
      agent: `Mozilla/5.0 (X11; Linux x86_64) Firefox/12${i % 4}.0`,
    }));
    const local = (ms: number) => {
      const d = new Date(ms);
      const mon = d.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
      const two = (n: number) => String(n).padStart(2, '0');
      return `${two(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
    };
    const nginx = visits.map((v) => JSON.stringify({
      time_local: local(v.at), remote_addr: v.ip, request: `GET ${v.path} HTTP/1.1`, status: String(v.status), body_bytes_sent: '512',
      request_time: v.seconds.toFixed(3), http_referer: '-', http_user_agent: v.agent,
    }));
    const traefik = visits.map((v) => JSON.stringify({
      StartUTC: new Date(v.at).toISOString(), ClientHost: v.ip, RequestMethod: 'GET', RequestPath: v.path, DownstreamStatus: v.status,
      Duration: Math.round(v.seconds * 1e9), 'request_User-Agent': v.agent,
    }));
    const caddy = visits.map((v) => JSON.stringify({
      level: 'info', ts: v.at / 1000, logger: 'http.log.access.log0', msg: 'handled request',
      request: { remote_ip: v.ip, remote_port: '51234', client_ip: v.ip, proto: 'HTTP/2.0', method: 'GET', host: 'shop.example.com', uri: v.path, headers: { 'User-Agent': [v.agent], Accept: ['*/*'] } },
      bytes_read: 0, user_id: '', duration: v.seconds, size: 512, status: v.status, resp_headers: { 'Content-Type': ['text/html'] },
    }));
    const pino = visits.map((v, i) => JSON.stringify({
      level: 30, time: v.at, pid: 7, hostname: 'web-1',
      req: { id: i, method: 'GET', url: v.path, headers: { host: 'shop.example.com', 'user-agent': v.agent }, remoteAddress: v.ip, remotePort: 51234 },
      res: { statusCode: v.status, headers: {} }, responseTime: v.seconds * 1000, msg: 'request completed',
    }));
    const istio = visits.map((v, i) => JSON.stringify({
      start_time: new Date(v.at).toISOString(), route_name: 'default', method: 'GET', path: v.path, protocol: 'HTTP/1.1',
      response_code: v.status, response_flags: '-', response_code_details: 'via_upstream', bytes_received: 0, bytes_sent: 512,
      duration: Math.round(v.seconds * 1000), upstream_service_time: String(Math.round(v.seconds * 1000) - 1), x_forwarded_for: null,
      user_agent: v.agent, request_id: `0f6e-${i}`, authority: 'shop.example.com', upstream_host: '10.244.1.5:8080',
      downstream_remote_address: `${v.ip}:${40000 + i}`, downstream_local_address: '10.244.1.5:8080',
    }));
    // Amazon API Gateway: a REST API's (CDK's jsonWithStandardFields, with the latency added) and an HTTP API's
    const rest = visits.map((v, i) => JSON.stringify({
      requestId: `c0ffee-${i}`, ip: v.ip, caller: '-', user: '-', requestTime: local(v.at), httpMethod: 'GET',
      resourcePath: `/p/{id}`, status: String(v.status), protocol: 'HTTP/1.1', responseLength: '512', responseLatency: String(Math.round(v.seconds * 1000)),
    }));
    const http = visits.map((v, i) => JSON.stringify({
      requestId: `c0ffee-${i}`, ip: v.ip, requestTime: local(v.at), httpMethod: 'GET', routeKey: 'GET /p/{id}',
      status: String(v.status), protocol: 'HTTP/1.1', responseLength: '512', responseLatency: String(Math.round(v.seconds * 1000)),
    }));
    // Google Cloud's LogEntry (a load balancer's request log, as a Cloud Storage sink writes it)
    const gcp = visits.map((v, i) => JSON.stringify({
      insertId: `x${i}`, logName: 'projects/shop/logs/requests', severity: 'INFO', timestamp: new Date(v.at).toISOString(),
      httpRequest: { requestMethod: 'GET', requestUrl: `https://shop.example.com${v.path}`, status: v.status, remoteIp: v.ip, userAgent: v.agent, latency: `${v.seconds}s` },
      resource: { type: 'http_load_balancer', labels: { project_id: 'shop' } },
    }));
    // Cloudflare's Logpush, with its default stamps in nanoseconds
    const cloudflare = visits.map((v, i) => JSON.stringify({
      ClientIP: v.ip, ClientRequestHost: 'shop.example.com', ClientRequestMethod: 'GET', ClientRequestURI: v.path,
      ClientRequestUserAgent: v.agent, EdgeEndTimestamp: v.at * 1e6 + 4e6, EdgeResponseBytes: 512, EdgeResponseStatus: v.status,
      EdgeStartTimestamp: v.at * 1e6, RayID: `7d${i}`,
    }));
    const csv = ['time_iso8601,remote_addr,request_method,request_uri,status,request_time,http_user_agent',
      ...visits.map((v) => `${new Date(v.at).toISOString()},${v.ip},GET,${v.path},${v.status},${v.seconds.toFixed(3)},"${v.agent}"`)];
    // When each is run without --columns
    const files: [string, string[]][] = [
      ['nginx.jsonl', nginx], ['traefik.jsonl', traefik], ['export.csv', csv], ['caddy.log', caddy], ['pino.log', pino], ['istio.log', istio],
      ['apigw-rest.log', rest], ['apigw-http.log', http], ['gcp.jsonl', gcp], ['cloudflare.log', cloudflare],
    ];
    const runs = await Promise.all(files.map(([name, lines]) => runOnLines(name, lines)));
    // Then every line reads into the same four visitors' sessions
    for (const run of runs) {
      expect(run.manifest.lines).toMatchObject({ read: 24, parsed: 24, rejected: 0 });
      expect(run.sessions.map((s) => s['client_ip']).sort()).toEqual(['198.51.100.0', '198.51.100.1', '198.51.100.2', '198.51.100.3']);
      // Each stamp (local time, ISO, epoch seconds, milliseconds or nanoseconds) read as the same instant.
      expect(run.sessions.map((s) => String(s['start']).slice(0, 19)).sort()).toEqual(['2026-11-02T10:00:00', '2026-11-02T10:00:20', '2026-11-02T10:00:40', '2026-11-02T10:01:00']);
    }
    // And each says which names it read, and response times from all but Cloudflare's (which logs none it names plainly)
    const [n, t, c, y, p, i, r, h, g, f] = runs;
    expect(n!.manifest.warnings).toEqual(['read JSON keys by their common names (timestamp=time_local, client_ip=remote_addr, response_time_s=request_time, user_agent=http_user_agent); --columns maps them otherwise']);
    expect(t!.manifest.warnings).toEqual(['read JSON keys by their common names (timestamp=StartUTC, client_ip=ClientHost, method=RequestMethod, path=RequestPath, status=DownstreamStatus, user_agent=request_User-Agent, response_time_ns=Duration); --columns maps them otherwise']);
    expect(c!.manifest.warnings).toEqual(['read CSV columns by their common names (timestamp=time_iso8601, client_ip=remote_addr, method=request_method, path=request_uri, response_time_s=request_time, user_agent=http_user_agent); --columns maps them otherwise']);
    expect(y!.manifest.warnings).toEqual(['read JSON keys by their common names (timestamp=ts, client_ip=request.client_ip, method=request.method, path=request.uri, user_agent=request.headers.User-Agent[0], host=request.host, response_time_s=duration); --columns maps them otherwise']);
    expect(p!.manifest.warnings).toEqual(['read JSON keys by their common names (timestamp=time, client_ip=req.remoteAddress, method=req.method, path=req.url, status=res.statusCode, user_agent=req.headers.user-agent, host=req.headers.host, response_time_ms=responseTime); --columns maps them otherwise']);
    expect(i!.manifest.warnings).toEqual(['read JSON keys by their common names (timestamp=start_time, client_ip=downstream_remote_address, status=response_code, host=authority, response_time_ms=duration); --columns maps them otherwise']);
    expect(r!.manifest.warnings).toEqual(['read JSON keys by their common names (client_ip=ip, method=httpMethod, timestamp=requestTime, path=resourcePath, response_time_ms=responseLatency); --columns maps them otherwise']);
    expect(h!.manifest.warnings).toEqual(['read JSON keys by their common names (client_ip=ip, method=httpMethod, timestamp=requestTime, request=routeKey, response_time_ms=responseLatency); --columns maps them otherwise']);
    expect(f!.manifest.warnings).toEqual(['read JSON keys by their common names (timestamp=EdgeStartTimestamp, client_ip=ClientIP, method=ClientRequestMethod, path=ClientRequestURI, status=EdgeResponseStatus, user_agent=ClientRequestUserAgent, host=ClientRequestHost); --columns maps them otherwise']);
    expect(g!.manifest.warnings).toEqual(['read JSON keys by their common names (client_ip=httpRequest.remoteIp, method=httpRequest.requestMethod, path=httpRequest.requestUrl, status=httpRequest.status, user_agent=httpRequest.userAgent, response_time_s=httpRequest.latency); --columns maps them otherwise']);
    const rtP50 = (out: string) => (JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel).personas.flatMap((p) => p.states.map((st) => st.responseTimeMs.p50));
    for (const ms of [...rtP50(n!.out), ...rtP50(t!.out), ...rtP50(c!.out), ...rtP50(y!.out), ...rtP50(p!.out), ...rtP50(i!.out), ...rtP50(r!.out), ...rtP50(h!.out), ...rtP50(g!.out)]) {
      expect(ms).toBeGreaterThanOrEqual(4);
    }
    expect(rtP50(f!.out).every((ms) => ms === 0)).toBe(true);
    // API Gateway logs the route: its placeholders are parameters without values, never values to send
    for (const run of [r!, h!]) {
      const model = JSON.parse(readFileSync(path.join(run.out, 'model.json'), 'utf8')) as TrafficModel;
      expect(model.personas.flatMap((pp) => pp.states.map((st) => st.path))).toContain('/p/{id}');
      expect(model.personas.flatMap((pp) => Object.values(pp.params).flat())).toEqual([]);
    }
  });

  test('Envoy\'s, Istio\'s (kubectl logs of a gateway or sidecar) and HAProxy\'s access logs are read without flags, and the run says how', async () => {
    // Given four visitors through an Istio gateway (each request on a new connection: a new port),
    // through an Envoy front proxy behind a load balancer (the client in X-Forwarded-For), and through
    // HAProxy with `option httplog`, as rsyslog stores it (some requests with captured headers)
    const visits = Array.from({ length: 24 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 2, 10, 0, i * 20) + 123).toISOString(),
      ip: `198.51.100.${i % 4}`,
      path: `/p/${i % 6}?ref=${i % 2}`,
      ms: 20 + (i % 7),
      agent: `Mozilla/5.0 (X11; Linux x86_64) Firefox/12${i % 4}.0`,
    }));
    const istio = visits.map((v, i) => `[${v.at}] "GET ${v.path} HTTP/1.1" 200 - via_upstream - "-" 0 512 ${v.ms} ${v.ms - 2} "-" "${v.agent}" ` +
      `"0f6e-${i}" "shop.example.com" "10.244.1.5:8080" outbound|8080||shop.default.svc.cluster.local 10.244.2.9:41234 10.244.2.9:8080 ${v.ip}:${40000 + i} - default`);
    const envoy = visits.map((v, i) => `[${v.at}] "GET ${v.path} HTTP/1.1" 200 - 0 512 ${v.ms} ${v.ms - 2} "${v.ip}, 10.0.0.1" "${v.agent}" "0f6e-${i}" "shop.example.com" "10.244.1.5:8080"`);
    const haproxy = visits.map((v, i) => {
      const d = new Date(v.at);
      const clock = d.toISOString().slice(11, 23);
      const captured = i % 3 === 0 ? ' {shop.example.com|Mozilla/5.0} {}' : '';
      return `Nov  2 ${clock.slice(0, 8)} lb-1 haproxy[811]: ${v.ip}:${40000 + i} [02/Nov/2026:${clock}] https-in~ shop/web-1 0/0/1/${v.ms - 2}/${v.ms} 200 512 - - ---- 3/3/0/0/0 0/0${captured} "GET ${v.path} HTTP/1.1"`;
    });
    // When each is run as it is
    const runs = [
      ['istio-ingressgateway.log', istio, "Istio's default access-log layout (--log-format istio)"],
      ['front-envoy.log', envoy, "Envoy's default access-log layout (--log-format envoy)"],
      ['haproxy.log', haproxy, "HAProxy's httplog layout (--log-format haproxy)"],
    ] as const;
    for (const [name, lines, layout] of runs) {
      const run = await runOnLines(name, lines);
      // Then every line reads into the four visitors' sessions, with their response times
      expect(run.manifest).toMatchObject({ format: 'combined', lines: { read: 24, parsed: 24, rejected: 0 } });
      expect(run.manifest.warnings).toEqual([`read ${layout}; --log-format reads another`]);
      expect(run.sessions.map((s) => s['client_ip']).sort()).toEqual(['198.51.100.0', '198.51.100.1', '198.51.100.2', '198.51.100.3']);
      const model = JSON.parse(readFileSync(path.join(run.out, 'model.json'), 'utf8')) as TrafficModel;
      for (const st of model.personas.flatMap((p) => p.states)) expect(st.responseTimeMs.p50).toBeGreaterThanOrEqual(20);
      // The proxies that log the host name it
      expect(model.productionHosts).toEqual(name === 'haproxy.log' ? [] : ['shop.example.com']);
    }
  });

  test('an IIS log (W3C extended, its headers repeated where IIS restarted) is read by its #Fields', async () => {
    // Given four visitors of an IIS site, and the header block IIS writes again after a restart
    const header = (at: string) => ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', `#Date: ${at}`,
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'];
    const rows = Array.from({ length: 24 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 10, 2, 10, 0, i * 20)).toISOString().replace('T', ' ').slice(0, 19);
      return `${at} 10.0.0.4 GET /shop/item.aspx id=${i % 6} 443 - 198.51.100.${i % 4} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+Edge/13${i % 4} - 200 0 0 ${40 + (i % 5)}`;
    });
    const run = await runOnLines('u_ex261102.log', [...header('2026-11-02 10:00:00'), ...rows.slice(0, 12), ...header('2026-11-02 10:04:00'), ...rows.slice(12)]);
    // Then every request is read (the headers are not lines of the log), into the four visitors' sessions
    expect(run.manifest).toMatchObject({ format: 'combined', lines: { read: 24, parsed: 24, rejected: 0 } });
    expect(run.manifest.warnings).toEqual(["read IIS's W3C extended log by its #Fields"]);
    expect(run.sessions.map((s) => s['client_ip']).sort()).toEqual(['198.51.100.0', '198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect(run.sessions.map((s) => s['user_agent'])).toContain('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/130');
    const model = JSON.parse(readFileSync(path.join(run.out, 'model.json'), 'utf8')) as TrafficModel;
    for (const st of model.personas.flatMap((p) => p.states)) expect(st.responseTimeMs.p50).toBeGreaterThanOrEqual(40);
  });

  test('stamps without a zone are UTC, whatever the machine\'s time zone: the same logs give the same model', async () => {
    // Given JSON lines stamped without a zone, as many loggers write them
    const dir = tmp();
    const file = path.join(dir, 'app.jsonl');
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ timestamp: `2026-11-02 10:00:${String(i * 5).padStart(2, '0')}`, method: 'GET', path: `/p/${i % 3}`, status: 200, client_ip: '10.0.0.1' }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    // When it is run on a machine in UTC and on one in New York
    const runs = await Promise.all(['UTC', 'America/New_York'].map(async (zone) => {
      const out = path.join(dir, zone.replace('/', '-'));
      const r = await runCli(['run', file, '--out', out], { env: { TZ: zone } });
      expect(r.code).toBe(0);
      return { ...readRun(out), model: JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel };
    }));
    // Then both read the stamps as UTC, into the same sessions and the same model
    expect(runs[0]!.sessions[0]!['start']).toMatch(/^2026-11-02T10:00:00/);
    expect(runs[1]!.sessions).toEqual(runs[0]!.sessions);
    expect({ ...runs[1]!.model, generatedAt: '' }).toEqual({ ...runs[0]!.model, generatedAt: '' });
  });

  test('a CSV with its own column names is mapped by name or by position, to the same sessions', async () => {
    const dir = tmp();
    const file = path.join(dir, 'access.csv');
    const rows = ['Client,When,Req,Code'];
    for (let i = 0; i < 12; i++) rows.push(`10.0.0.${i % 3},2024-05-01T10:00:${String(i * 4).padStart(2, '0')}Z,GET /p/${i} HTTP/1.1,200`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const byName = path.join(dir, 'by-name');
    const byPosition = path.join(dir, 'by-position');
    const named = await runCli(['run', file, '--out', byName, '--columns', 'client_ip=client,timestamp=when,request=req,status=code']);
    const placed = await runCli(['run', file, '--out', byPosition, '--columns', 'client_ip=1,timestamp=2,request=3,status=4']);
    expect([named.code, placed.code]).toEqual([0, 0]);
    const a = readRun(byName);
    const b = readRun(byPosition);
    // The header is a header, not a rejected line.
    expect(a.manifest.lines).toMatchObject({ read: 12, parsed: 12, rejected: 0 });
    expect(b.manifest.lines).toEqual(a.manifest.lines);
    expect(b.sessions).toEqual(a.sessions);
    expect(a.sessions).toHaveLength(3);
  });

  test('nested JSON (Caddy\'s access log): --columns reaches into objects and arrays, durations in seconds', async () => {
    const agents = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0', 'Mozilla/5.0 (Macintosh) Safari/605.1.15'];
    const lines: string[] = [];
    for (let visitor = 0; visitor < 4; visitor++) {
      for (let page = 0; page < 5; page++) {
        lines.push(JSON.stringify({
          level: 'info', ts: 1732870000 + visitor * 3600 + page * 15.5, msg: 'handled request',
          request: { remote_ip: `10.0.0.${visitor}`, method: 'GET', host: 'shop.example.com', uri: `/p/${page}`, headers: { 'User-Agent': [agents[visitor % 2]] } },
          duration: 0.25, status: 200,
        }));
      }
    }
    const { out, manifest, sessions } = await runOnLines('caddy.jsonl', lines, ['--columns',
      'timestamp=ts,method=request.method,path=request.uri,client_ip=request.remote_ip,user_agent=request.headers.User-Agent[0],host=request.host,response_time_s=duration']);
    expect(manifest.lines).toMatchObject({ read: 20, parsed: 20, rejected: 0 });
    expect(sessions.map((s) => [s['client_ip'], s['user_agent'], s['requests']]).sort()).toEqual(
      [0, 1, 2, 3].map((v) => [`10.0.0.${v}`, agents[v % 2], '5']),
    );
    const model = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as TrafficModel;
    const rt = model.personas.flatMap((p) => p.states.map((st) => st.responseTimeMs.p50));
    expect(new Set(rt)).toEqual(new Set([250]));
  });

  test('flattened JSON keys with dots (ECS) are read as the keys they are', async () => {
    const rows = [0, 1, 2].map((i) => JSON.stringify({
      '@timestamp': `2024-05-01T10:00:0${i}Z`, 'http.request.method': 'get', 'url.path': `/a/${i}`, 'http.response.status_code': 200,
      'source.ip': '10.1.1.1', 'user_agent.original': 'curl/8.4.0',
    }));
    const { manifest, sessions } = await runOnLines('ecs.jsonl', rows, ['--columns',
      'timestamp=@timestamp,method=http.request.method,path=url.path,status=http.response.status_code,client_ip=source.ip,user_agent=user_agent.original']);
    expect(manifest.lines).toMatchObject({ read: 3, parsed: 3 });
    expect(sessions.map((s) => [s['client_ip'], s['user_agent'], s['requests']])).toEqual([['10.1.1.1', 'curl/8.4.0', '3']]);
  });

  test.each([
    ['alb-clo-test-2021.log', 'alb', 2],
    ['alb-workshop-2018.log.gz', 'alb', 1],
    ['cloudfront-clo-test-2022.log', 'cloudfront', 2],
  ])('genuine AWS sample %s is read as %s', async (file, format, lines) => {
    const out = path.join(tmp(), 'run');
    const r = await runCli(['run', path.join(REAL, 'aws-format-samples', file), '--out', out]);
    expect(r.code).toBe(0);
    const { manifest } = readRun(out);
    expect(manifest.format).toBe(format);
    expect(manifest.lines.parsed).toBe(lines);
    expect(existsSync(path.join(out, 'sessions.csv'))).toBe(true);
  });
});
