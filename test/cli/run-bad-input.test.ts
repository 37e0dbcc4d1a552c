/**
 * Bad input: one clear line on stderr, a non-zero exit, no stack trace, and no results folder left
 * behind. Inside good input, malformed lines are counted exactly; a truncated .gz yields what it held;
 * files that are not logs, damaged or unreadable are skipped with one warning per reason.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Manifest } from '../../lib/core/types';
import { DuckDbEngine } from '../../lib/adapters/duckdb-engine';
import { damagedGzip } from '../helpers/damaged-gzip';
import { cachedLogs } from '../helpers/generated-logs';
import { runAsNobody, runCli } from '../helpers/cli';
import { listFiles } from '../helpers/list-files';
import { REAL_LOGS as REAL } from '../helpers/real-logs';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'lp-bad-'));

function expectOneLineFailure(r: { code: number | null; stderr: string }, mentions: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(mentions);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('loadprint run rejects bad input with one clear line', () => {
  test('a missing path names the path', async () => {
    const dir = tmp();
    const r = await runCli(['run', path.join(dir, 'nope.log'), '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /no such file or folder: .*nope\.log/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('an empty folder says it is empty', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'logs'));
    const r = await runCli(['run', path.join(dir, 'logs'), '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /no log files in folder .*logs/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('a binary file is refused', async () => {
    const dir = tmp();
    const file = path.join(dir, 'image.log');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /image\.log is a binary file/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('UTF-16 big-endian text (DuckDB reads UTF-16 little-endian only) says how to convert it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'access.log');
    const line = '127.0.0.1 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"\n';
    writeFileSync(file, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(line, 'utf16le').swap16()]));
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /access\.log is UTF-16 big-endian text; convert it to UTF-8 \(iconv -f UTF-16BE -t UTF-8\) and pass that/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('lines that are not UTF-8 in a UTF-8 file are counted once each, and named as the cause', async () => {
    // Given a CSV whose header is UTF-8 and whose rows are Latin-1, two undecodable fields each
    const dir = tmp();
    const file = path.join(dir, 'export.csv');
    const rows = Array.from({ length: 6 }, (_, i) => `2026-11-0${i + 1}T10:00:00Z,GET,/caf\u00e9/${i},200,M\u00f6zilla/5.0`);
    writeFileSync(file, Buffer.concat([Buffer.from('timestamp,method,path,status,user_agent,dur\u00e9e\n', 'utf8'), Buffer.from(`${rows.join('\n')}\n`, 'latin1')]));
    // When it is run
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    // Then each row is one rejected line, and the line says to convert the text
    expectOneLineFailure(r, /no line of .*export\.csv could be read as csv logs \(6 rejected, most as invalid_encoding\); its text is not UTF-8/);
    expect(r.stderr).toContain('iconv -f WINDOWS-1252 -t UTF-8');
  });

  test('a log compressed with a tool other than gzip and zstd says which, and how to read it; among logs it is skipped', async () => {
    // Given an xz-compressed log (its stream header, then compressed bytes), and a real log beside it
    const dir = tmp();
    const xz = path.join(dir, 'access.log.1.xz');
    writeFileSync(xz, Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), Buffer.alloc(64, 0x5a)]));
    copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), path.join(dir, 'access.log'));
    // When the compressed file is named, or its folder
    const alone = await runCli(['run', xz, '--out', path.join(dir, 'out')]);
    const folder = await runCli(['run', dir, '--out', path.join(dir, 'out2')]);
    // Then alone it is one line naming the tool; in the folder it is a warning, and the log is read
    expectOneLineFailure(alone, /access\.log\.1\.xz is xz-compressed; decompress it \(xz -d\) and pass that$/);
    expect(folder.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out2', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.warnings).toEqual([`skipped ${xz}: xz-compressed; decompress it (xz -d) and pass that`]);
    expect(manifest.lines.read).toBe(10000);
  });

  test('a corrupt zstd file is one line naming it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'access.log.zst');
    writeFileSync(file, Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]), Buffer.alloc(64, 0x5a)]));
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /access\.log\.zst is not a readable zstd file \(.*\); remove it or decompress it$/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('a copy of a log, or a log named twice, is read once, and the copy is named in a warning', async () => {
    // Given a folder with a log and a copy of it under another name
    const dir = tmp();
    const log = path.join(dir, 'logs', 'access.log');
    mkdirSync(path.dirname(log));
    copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), log);
    copyFileSync(log, `${log}.bak`);
    // When the folder is run, and the log is also named
    const r = await runCli(['run', path.dirname(log), log, '--out', path.join(dir, 'out')]);
    // Then its lines count once, and the copy is skipped with a warning
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.lines).toMatchObject({ read: 10000, parsed: 10000 });
    expect(manifest.warnings).toEqual([`skipped ${log}.bak: the same bytes as ${log}, read once`]);
  });

  test('an unknown format asks for --format', async () => {
    const dir = tmp();
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'dear diary\ntoday I wrote no logs\nnone at all\n');
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /notes\.txt: unknown log format; pass --format/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('Envoy lines in a layout of their own ask for --log-format, and read with it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'envoy.log');
    const lines = Array.from({ length: 6 }, (_, i) => `[2026-11-02T10:00:0${i}.000Z] "GET /p/${i} HTTP/1.1" 200 ${12 + i} "198.51.100.${i % 2}" "curl/8.0"`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /envoy\.log: Envoy access log lines in a layout of their own; pass --log-format with the format string of the proxy's configuration/);
    const layout = '[%START_TIME%] "%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL%" %RESPONSE_CODE% %DURATION% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"';
    const read = await runCli(['run', file, '--out', path.join(dir, 'out'), '--log-format', layout]);
    expect(read.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.lines).toMatchObject({ read: 6, parsed: 6, rejected: 0 });
    // Lines that look like Istio's default but are cut short say which layout was tried
    const cut = path.join(dir, 'istio.log');
    writeFileSync(cut, `${Array.from({ length: 5 }, (_, i) => `[2026-11-02T10:00:0${i}.000Z] "GET /p/${i} HTTP/1.1" 200 - via_upstream - "-" 0 512`).join('\n')}\n`);
    expectOneLineFailure(await runCli(['run', cut, '--out', path.join(dir, 'cut')]), /istio\.log could be read as Istio's default access-log layout \(5 rejected, most as unrecognized_line\); give the layout the proxy writes/);
  });

  test('a CSV that nothing reads without a column map says how to map it', async () => {
    // Given a header-less CSV whose values tell no time column: the date and the time are apart
    const dir = tmp();
    const file = path.join(dir, 'export.csv');
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => `2017-11-29,06:58:${String(i).padStart(2, '0')},10.0.0.1,GET /p/${i} HTTP/1.1,200`).join('\n'));
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(r, /export\.csv could be read as csv logs \(40 rejected, most as bad_timestamp\); it has no header naming them: map its 5 columns by 1-based position .* with --columns \(by their values: client_ip=3, request=4, status=5; no column reads as a time\)/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('an empty .gz is refused on its own, and skipped with a warning among logs', async () => {
    const dir = tmp();
    const empty = path.join(dir, 'logs', 'quiet.log.gz');
    mkdirSync(path.dirname(empty));
    writeFileSync(empty, gzipSync(''));
    const alone = await runCli(['run', empty, '--out', path.join(dir, 'out')]);
    expectOneLineFailure(alone, /quiet\.log\.gz holds no log lines/);
    writeFileSync(path.join(dir, 'logs', 'busy.log'), '1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"\n');
    const among = await runCli(['run', path.join(dir, 'logs'), '--out', path.join(dir, 'out')]);
    expect(among.code).toBe(0);
    expect(among.stderr).toMatch(/warning: skipped .*quiet\.log\.gz: no log lines in it/);
  });

  test('--out onto a file, or through one, is refused before any work', async () => {
    const dir = tmp();
    const log = path.join(dir, 'access.log');
    copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), log);
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'not a folder\n');
    expectOneLineFailure(await runCli(['run', log, '--out', file]), /cannot write the run folder .*notes\.txt: it is a file; pass --out a folder path$/);
    expectOneLineFailure(
      await runCli(['run', log, '--out', path.join(file, 'runs', 'today')]),
      /cannot write the run folder .*: .*notes\.txt is a file, not a folder; pass --out another path$/,
    );
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  });

  test('an unusable TMPDIR is one line saying to set it', async () => {
    const dir = tmp();
    const log = path.join(dir, 'access.log');
    copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), log);
    const r = await runCli(['run', log, '--out', path.join(dir, 'out')], { env: { TMPDIR: path.join(dir, 'no-such-folder') } });
    expectOneLineFailure(r, /cannot make a work folder in .*no-such-folder \(ENOENT\); set TMPDIR to a folder you can write to$/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('a bad option value is named', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a.log');
    writeFileSync(file, '1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"\n');
    const r = await runCli(['run', file, '--out', path.join(dir, 'out'), '--session-gap', 'soon']);
    expectOneLineFailure(r, /--session-gap soon is not a duration/);
    const few = await runCli(['run', file, '--out', path.join(dir, 'out'), '--model-sessions', '5']);
    expectOneLineFailure(few, /--model-sessions 5 must be all or an integer of at least 100/);
    const quoted = await runCli(['run', file, '--out', path.join(dir, 'out'), '--columns', 'timestamp=a"b']);
    expectOneLineFailure(quoted, /--columns: "timestamp=a"b": a column name cannot hold a double quote/);
  });

  test('a --log-format that cannot describe requests, or does not describe the lines, says so', async () => {
    const dir = tmp();
    const file = path.join(dir, 'access.log');
    writeFileSync(file, '1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"\n');
    const run = (...extra: string[]) => runCli(['run', file, '--out', path.join(dir, 'out'), ...extra]);
    expectOneLineFailure(await run('--log-format', '%h "%r" %b'), /--log-format lacks a time \(%t or %\{format\}t\) and a status \(%s or %>s\)/);
    expectOneLineFailure(await run('--log-format', 'timed'), /--log-format timed is not a layout nor a name Loadprint knows \(common, combined,/);
    expectOneLineFailure(await run('--log-format', '%h %t "%r" %>s %b', '--format', 'alb'), /--log-format describes nginx\/Apache logs; it cannot be used with --format alb/);
    // The layout nginx writes with $request_time: this Apache line has no such field.
    expectOneLineFailure(
      await run('--log-format', '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time'),
      /no line of .*access\.log matches --log-format \(1 rejected, most as unrecognized_line\); give the layout the server writes/,
    );
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('--debug shows the stack of an internal error only when asked', async () => {
    const dir = tmp();
    const r = await runCli(['run', path.join(dir, 'nope.log'), '--out', path.join(dir, 'out'), '--debug']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/InputError/);
  });
});

describe('what a folder of logs also holds: malformed lines, damaged, unreadable and other files', () => {
  test('files in a folder that are not logs get one warning per reason, and are not among the inputs', async () => {
    // Given a log in a folder with two empty files, five core dumps, an empty .gz and a copy of the log
    const dir = tmp();
    const logs = path.join(dir, 'logs');
    mkdirSync(logs);
    const log = path.join(logs, 'access.log');
    copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), log);
    copyFileSync(log, path.join(logs, 'access.log.bak'));
    for (const name of ['access.log.1', 'error.log']) writeFileSync(path.join(logs, name), '');
    const cores = [1, 2, 3, 4, 5].map((i) => path.join(logs, `core.${i}`));
    cores.forEach((core, i) => writeFileSync(core, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, i])));
    writeFileSync(path.join(logs, 'quiet.log.gz'), gzipSync(''));
    // When the folder is run
    const r = await runCli(['run', logs, '--out', path.join(dir, 'out')]);
    // Then the log is read, and each reason is one warning naming a few of its files
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.warnings).toEqual([
      `skipped 2 files (empty): ${logs}/access.log.1, ${logs}/error.log`,
      `skipped ${logs}/access.log.bak: the same bytes as ${log}, read once`,
      `skipped 5 files (binary file, not a text log): ${cores.slice(0, 3).join(', ')} and 2 more`,
      `skipped ${logs}/quiet.log.gz: no log lines in it`,
    ]);
    expect(r.stderr.match(/^loadprint: warning: /gm)).toHaveLength(4);
    // And the inputs are what was read: the report's count and bytes, and what validate reads again
    expect(manifest.inputs).toEqual([{ path: log, bytes: statSync(log).size, format: 'combined' }]);
    expect(manifest.lines).toMatchObject({ read: 10000, parsed: 10000 });
  });

  test('/var/log/nginx as it is: rotated access logs are read, the error logs beside them skipped with one warning', async () => {
    // Given nginx's folder: access.log, its rotations (one gzipped), error.log and a gzipped rotation of it
    const dir = tmp();
    const logs = path.join(dir, 'nginx');
    mkdirSync(logs);
    const lines = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').trimEnd().split('\n');
    writeFileSync(path.join(logs, 'access.log'), `${lines.slice(0, 4000).join('\n')}\n`);
    writeFileSync(path.join(logs, 'access.log.1'), `${lines.slice(4000, 7000).join('\n')}\n`);
    writeFileSync(path.join(logs, 'access.log.2.gz'), gzipSync(`${lines.slice(7000).join('\n')}\n`));
    const errors = [
      '2015/05/17 10:05:03 [error] 1234#1234: *5 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 83.149.9.216, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "example.com"',
      '2015/05/17 10:05:43 [warn] 1234#1234: *9 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001, client: 93.114.45.13, server: localhost',
      '2015/05/17 11:00:00 [notice] 1233#1233: signal process started',
    ].join('\n');
    writeFileSync(path.join(logs, 'error.log'), `${errors}\n`);
    writeFileSync(path.join(logs, 'error.log.1.gz'), gzipSync(`${errors}\n`));
    // When the folder is run
    const r = await runCli(['run', logs, '--out', path.join(dir, 'out')]);
    // Then the access logs are read whole, and the error logs named in one warning
    expect(r.stderr).not.toMatch(/mix log formats/);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.warnings).toEqual([`skipped 2 files (error log, not an access log): ${logs}/error.log, ${logs}/error.log.1.gz`]);
    expect(manifest.lines).toMatchObject({ read: 10000, parsed: 10000 });
    // And an error log named alone (Apache's too) is one line saying what it is
    const apache = path.join(dir, 'apache-error.log');
    writeFileSync(apache, '[Sun May 17 10:05:03.123456 2015] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5000] AH00128: File does not exist: /var/www/favicon.ico\n');
    for (const file of [path.join(logs, 'error.log'), apache]) {
      expectOneLineFailure(await runCli(['run', file, '--out', path.join(dir, 'alone')]), /error\.log is a web server's error log, not an access log; pass the access logs/);
    }
  });

  test('a log or folder the user may not read is skipped among logs, and named alone it is one line; so is a run folder it may not write', async () => {
    // Given logs readable by their owner only (nginx's are root:adm 0640), beside one anybody may read,
    // in a folder the user running loadprint can write to. Root reads everything: it runs as nobody.
    const dir = mkdtempSync(path.join(path.dirname(os.tmpdir()), 'lp-perm-'));
    try {
      chmodSync(dir, 0o777);
      const logs = path.join(dir, 'logs');
      mkdirSync(path.join(logs, 'private'), { recursive: true });
      copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), path.join(logs, 'access.log'));
      copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), path.join(logs, 'secret.log'));
      copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), path.join(logs, 'private', 'access.log'));
      chmodSync(path.join(logs, 'secret.log'), 0o600);
      chmodSync(path.join(logs, 'private'), 0o700);
      const asUser = (args: string[]) => (process.getuid?.() === 0 ? runAsNobody(args) : runCli(args));

      // When the folder is run, and the unreadable log alone
      const folder = await asUser(['run', logs, '--out', path.join(dir, 'out')]);
      const alone = await asUser(['run', path.join(logs, 'secret.log'), '--out', path.join(dir, 'out2')]);
      const readOnly = path.join(dir, 'read-only');
      mkdirSync(readOnly, { mode: 0o555 });
      const noWrite = await asUser(['run', logs, '--out', path.join(readOnly, 'runs', 'today')]);

      // Then the readable log is read, and the rest named with what to do
      expect(folder.stderr).not.toMatch(/internal error/);
      expect(folder.code).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest.lines.read).toBe(10000);
      const denied = 'permission denied (run as a user who can read the logs, such as one in the adm group, or copy them)';
      expect(manifest.warnings).toEqual([`skipped ${logs}/private: unreadable folder, ${denied}`, `skipped ${logs}/secret.log: ${denied}`]);
      expectOneLineFailure(alone, /secret\.log: permission denied \(run as a user who can read the logs/);
      expectOneLineFailure(noWrite, /cannot write the run folder .*today: this user may not write to .*read-only; pass --out a folder you can write to$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a run folder inside the logs\' folder is not read as logs by the next run', async () => {
    // Given a log in a folder, profiled into a run folder next to it (`loadprint run . --out run`)
    const dir = tmp();
    copyFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), path.join(dir, 'access.log'));
    const first = await runCli(['run', '.', '--out', 'run'], { cwd: dir });
    expect(first.code).toBe(0);
    // When the same command runs again
    const again = await runCli(['run', '.', '--out', 'run'], { cwd: dir });
    // Then it reads the log alone, and says it left the run folder out
    expect(again.stderr).not.toMatch(/mix log formats/);
    expect(again.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'run', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.inputs.map((i) => i.path)).toEqual(['access.log']);
    expect(manifest.lines.read).toBe(10000);
    expect(manifest.warnings).toEqual(['skipped run: a Loadprint run folder (results, not logs)']);
  });

  test('a log whose name holds glob characters (`*.log`) is read as itself, not as a pattern', async () => {
    // Given three logs of 300 lines, one named `*.log` and one `access[1].log`, with a malformed line each
    const dir = tmp();
    const lines = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').split('\n');
    const names = ['*.log', 'a.log', 'access[1].log'];
    names.forEach((name, i) => writeFileSync(path.join(dir, name), `${[...lines.slice(i * 300, i * 300 + 299), 'garbage'].join('\n')}\n`));
    // When the folder is run
    const r = await runCli(['run', dir, '--out', path.join(dir, 'out')]);
    // Then each is read once (DuckDB's glob would have read a.log, and `*.log` matches all three, twice)
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(m.lines).toMatchObject({ read: 900, parsed: 897, rejected: 3 });
    expect(m.inputs.map((i) => path.basename(i.path))).toEqual(names);
    expect(m.lines.samples.map((x) => [path.basename(x.file), x.line])).toEqual(names.map((n) => [n, 300]));
  });

  test('malformed lines are skipped and counted exactly, by reason, with samples', async () => {
    const logs = await cachedLogs('bad-alb-malformed', { format: 'alb', sessions: 200, seed: 5, days: 1, malformed: 17 });
    const out = path.join(tmp(), 'run');
    const r = await runCli(['run', logs.logsDir, '--out', out]);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.lines.rejected).toBe(17);
    expect(m.lines.parsed).toBe(logs.lines);
    expect(m.lines.read).toBe(logs.lines + 17);
    expect(Object.values(m.lines.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(17);
    expect(m.lines.samples.length).toBeGreaterThan(0);
    expect(m.lines.samples.length).toBeLessThanOrEqual(5);
  });

  test('a damaged .gz or .zst among logs is skipped, named with what is wrong; named alone it is one line', async () => {
    // Given a healthy log and three damaged beside it: a gzip file that inflates to garbage (DuckDB does
    // not check the CRC), one whose inflating stops (DuckDB's error names no file), and a zstd one
    const dir = tmp();
    const logs = path.join(dir, 'logs');
    mkdirSync(logs);
    const apache = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'));
    const text = apache.subarray(0, apache.indexOf('\n', 400_000) + 1);
    writeFileSync(path.join(logs, 'healthy.log.gz'), gzipSync(apache));
    writeFileSync(path.join(logs, 'garbled.log.gz'), damagedGzip(text, 'garbled'));
    writeFileSync(path.join(logs, 'broken.log.gz'), damagedGzip(text, 'broken-block'));
    const zst = path.join(logs, 'older.log.zst');
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB' });
    try {
      await engine.exec(`COPY (SELECT line FROM read_csv('${path.join(REAL, 'apache-semicomplete', 'apache_logs')}', columns = {'line': 'VARCHAR'},
        delim = '\u0001', quote = '', escape = '', header = false, auto_detect = false))
        TO '${zst}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u0001', COMPRESSION zstd)`);
    } finally {
      engine.close();
    }
    const bytes = readFileSync(zst);
    bytes.fill(0, 100_000, 104_000);
    writeFileSync(zst, bytes);

    // When the folder is run, and each damaged file alone
    const r = await runCli(['run', logs, '--out', path.join(dir, 'out')]);
    const alone = await Promise.all(['garbled.log.gz', 'broken.log.gz', 'older.log.zst'].map((f, i) =>
      runCli(['run', path.join(logs, f), '--out', path.join(dir, `alone-${i}`)])));

    // Then the healthy log is read, every line of it and nothing else, and each damaged file is named
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.lines).toMatchObject({ read: 10000, parsed: 10000, rejected: 0 });
    expect(manifest.inputs.map((i) => path.basename(i.path))).toEqual(['healthy.log.gz']);
    expect(manifest.warnings).toEqual([
      `skipped ${logs}/broken.log.gz: damaged gzip file (invalid stored block lengths), not read; replace it`,
      `skipped ${logs}/garbled.log.gz: damaged gzip file (incorrect data check), not read; replace it`,
      // zstd's words depend on where the zeros fall in the frame DuckDB wrote ("Data corruption detected", "Unknown frame descriptor")
      expect.stringMatching(new RegExp(`^skipped ${zst}: damaged zstd file \\([A-Z][^:]+\\), not read; replace it$`)),
    ]);
    // And alone, each is one line saying what is wrong
    expectOneLineFailure(alone[0]!, /garbled\.log\.gz is a damaged gzip file \(incorrect data check\); replace it/);
    expectOneLineFailure(alone[1]!, /broken\.log\.gz is a damaged gzip file \(invalid stored block lengths\); replace it/);
    expectOneLineFailure(alone[2]!, /older\.log\.zst is a damaged zstd file \(.*\); replace it/);
  });

  test('a line longer than DuckDB reads (2 MB) is rejected as line_too_long, its sample cut', async () => {
    // Given the real log with a 3 MB request line (a scanner's) in the middle
    const dir = tmp();
    const file = path.join(dir, 'access.log');
    const lines = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').split('\n').slice(0, 1000);
    const huge = `83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /${'A'.repeat(3_000_000)} HTTP/1.1" 404 0 "-" "scanner"`;
    writeFileSync(file, `${[...lines.slice(0, 500), huge, ...lines.slice(500)].join('\n')}\n`);
    // When it is run
    const r = await runCli(['run', file, '--out', path.join(dir, 'out')]);
    // Then that line is the one rejected, for its length, and the manifest keeps 300 characters of it
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    expect(m.lines).toMatchObject({ read: 1001, parsed: 1000, rejected: 1, rejectedByReason: { line_too_long: 1 } });
    expect(m.lines.samples).toEqual([{ file, line: 501, reason: 'line_too_long', text: expect.stringMatching(/^\S+ - - \[17\/May\/2015:10:05:03 \+0000\] "GET \/A+$/) }]);
    expect(m.lines.samples[0]!.text.length).toBeLessThanOrEqual(300);
  });

  test('a text log named .gz is skipped among logs with what to do, and named alone it is one line', async () => {
    // Given a log beside a plain-text copy of its head named .gz
    const dir = tmp();
    const lines = readFileSync(path.join(REAL, 'apache-semicomplete', 'apache_logs'), 'utf8').split('\n');
    writeFileSync(path.join(dir, 'access.log'), `${lines.slice(0, 100).join('\n')}\n`);
    const fake = path.join(dir, 'old.log.gz');
    writeFileSync(fake, `${lines.slice(100, 150).join('\n')}\n`);
    // When the folder is run, then the log is read and the .gz named in a warning
    const r = await runCli(['run', dir, '--out', path.join(dir, 'run')]);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(dir, 'run', 'manifest.json'), 'utf8')) as Manifest;
    expect(m.warnings).toEqual([`skipped ${fake}: not a readable gzip file (incorrect header check), not read; rename it without .gz if it is plain text, or replace it`]);
    expect(m.lines).toMatchObject({ read: 100, parsed: 100 });
    // And named alone, it is one line
    expectOneLineFailure(await runCli(['run', fake, '--out', path.join(dir, 'alone')]), /old\.log\.gz is not a readable gzip file \(incorrect header check\); rename it without \.gz if it is plain text, or replace it$/);
  });

  test('a truncated .gz yields the lines it held plus a warning', async () => {
    const logs = await cachedLogs('bad-alb-trunc-src', { format: 'alb', sessions: 300, seed: 9, days: 1 });
    const dir = tmp();
    const gz = listFiles(logs.logsDir).filter((f) => f.endsWith('.gz')).sort((a, b) => statSync(b).size - statSync(a).size);
    const victim = path.join(dir, 'cut.log.gz');
    const whole = path.join(dir, 'whole.log.gz');
    copyFileSync(gz[0]!, victim);
    copyFileSync(gz[1]!, whole);
    truncateSync(victim, Math.floor(statSync(victim).size * 0.6));

    const out = path.join(dir, 'run');
    const r = await runCli(['run', dir, '--out', out]);

    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cut\.log\.gz is a truncated gzip file/);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.warnings.some((w) => w.includes('cut.log.gz'))).toBe(true);
    expect(m.warnings.some((w) => w.includes('whole.log.gz'))).toBe(false);
    expect(m.lines.parsed).toBeGreaterThan(0);
  });

  test('a truncated .zst yields the lines it held plus a warning; a whole one beside it, none', async () => {
    // Given the real Apache log zstd-compressed by DuckDB twice, one copy cut at 60%
    const dir = tmp();
    const cut = path.join(dir, 'cut.log.zst');
    const whole = path.join(dir, 'whole.log.zst');
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      for (const file of [cut, whole]) {
        await engine.exec(`COPY (SELECT line FROM read_csv('${path.join(REAL, 'apache-semicomplete', 'apache_logs')}', columns = {'line': 'VARCHAR'},
          delim = '\u0001', quote = '', escape = '', header = false, auto_detect = false))
          TO '${file}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u0001', COMPRESSION zstd)`);
      }
    } finally {
      engine.close();
    }
    truncateSync(cut, Math.floor(statSync(cut).size * 0.6));
    // When the folder is run
    const r = await runCli(['run', dir, '--out', path.join(dir, 'run')]);
    // Then the cut file's lines are read, and it alone is named
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(dir, 'run', 'manifest.json'), 'utf8')) as Manifest;
    expect(m.warnings).toEqual([`${cut} is a truncated zstd file: read the lines it held; the rest is lost`]);
    expect(m.lines.parsed).toBeGreaterThan(10000);
    expect(m.lines.parsed).toBeLessThan(20000);
  });
});
