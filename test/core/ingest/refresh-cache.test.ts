/**
 * Incremental refresh: with --cache, a run after a change in the input parses only the new files and
 * re-sessionizes only the sessions a change can reach, and its results are exactly a full run's:
 * the same sessions (a session that straddles old and new files stays whole), the same model.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest, TrafficModel } from '../../../lib/core/types';
import { REPO, runCli } from '../../helpers/cli';
import { listFiles } from '../../helpers/list-files';
import { NETNEA_LAYOUT, REAL_LOGS } from '../../helpers/real-logs';

const SOURCE = path.join(REPO, 'examples', 'alb');
/** The sample's files, oldest 5-minute window first. */
const ALL = listFiles(SOURCE).sort((a, b) => path.basename(a).localeCompare(path.basename(b)));

interface Workspace {
  dir: string;
  /** Copies files into the drop folder, keeping their paths below `root`. */
  add(files: readonly string[], root?: string): void;
  remove(files: readonly string[]): void;
  run(name: string, extra?: string[]): Promise<void>;
  manifest(name: string): Manifest;
  sessions(name: string): string;
  model(name: string): Omit<TrafficModel, 'generatedAt'>;
}

function workspace(): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lp-refresh-'));
  const drop = path.join(dir, 'drop');
  const target = (f: string, root = SOURCE) => path.join(drop, path.relative(root, f));
  return {
    dir,
    add: (files, root = SOURCE) =>
      files.forEach((f) => {
        mkdirSync(path.dirname(target(f, root)), { recursive: true });
        cpSync(f, target(f, root), { preserveTimestamps: true });
      }),
    remove: (files) => files.forEach((f) => rmSync(target(f))),
    run: async (name, extra = []) => {
      const cached = name.startsWith('cached/') ? ['--cache', path.join(dir, 'cache')] : [];
      const r = await runCli(['run', drop, '--out', path.join(dir, name), ...cached, ...extra]);
      expect(r.stderr).not.toMatch(/Error|at .*\.m?js:\d+/);
      expect(r.code).toBe(0);
    },
    manifest: (name) => JSON.parse(readFileSync(path.join(dir, name, 'manifest.json'), 'utf8')) as Manifest,
    sessions: (name) => readFileSync(path.join(dir, name, 'sessions.csv'), 'utf8'),
    model: (name) => {
      const { generatedAt: _when, ...m } = JSON.parse(readFileSync(path.join(dir, name, 'model.json'), 'utf8')) as TrafficModel;
      return m;
    },
  };
}

/** The refreshed run equals a full run over the same files, line counts, sessions and model. */
function expectSameAsFull(w: Workspace, refreshed: string, full: string): void {
  expect(w.manifest(refreshed).lines).toEqual(w.manifest(full).lines);
  expect(w.sessions(refreshed)).toBe(w.sessions(full));
  expect(w.model(refreshed)).toEqual(w.model(full));
}

test('a new drop is parsed alone, only sessions within a gap of it are sessionized again, and the results equal a full run', async () => {
  // Given the sample ALB logs, of which the newest files arrive later
  const w = workspace();
  const late = ALL.slice(-8);
  w.add(ALL.slice(0, -8));

  // When the first drop is profiled with a cache, then the late files arrive and it runs again
  await w.run('cached/a');
  w.add(late);
  await w.run('cached/b');
  await w.run('full/b');

  // Then the second run parsed only the late files and reused every session a gap away from them
  expect(w.manifest('cached/a').refresh).toMatchObject({ cachedFiles: 0, parsedFiles: ALL.length - late.length, reusedSessions: 0 });
  const refresh = w.manifest('cached/b').refresh!;
  expect(refresh).toMatchObject({ cachedFiles: ALL.length - late.length, parsedFiles: late.length });
  expect(refresh.reusedSessions).toBeGreaterThan(10 * refresh.resessionizedSessions);
  expect(refresh.resessionizedSessions).toBeGreaterThan(0);
  expectSameAsFull(w, 'cached/b', 'full/b');
}, 180_000);

test('a late file for an old window, a removed file and a changed gap each give what a full run gives', async () => {
  // Given a cached run over every file but one from the middle of the day
  const w = workspace();
  const middle = ALL[Math.floor(ALL.length / 2)]!;
  w.add(ALL.filter((f) => f !== middle));
  await w.run('cached/a');

  // When the missing window arrives late, then
  w.add([middle]);
  await w.run('cached/late');
  await w.run('full/late');
  expectSameAsFull(w, 'cached/late', 'full/late');

  // When an early file is removed (its sessions lose lines and may split), then
  w.remove([ALL[3]!]);
  await w.run('cached/removed');
  await w.run('full/removed');
  expect(w.manifest('cached/removed').refresh?.parsedFiles).toBe(0);
  expectSameAsFull(w, 'cached/removed', 'full/removed');

  // (the late window and the removal were each appended as a segment of their own)
  expect(readdirSync(path.join(w.dir, 'cache')).filter((f) => f.endsWith('.parquet') && !f.includes('replaces'))).toHaveLength(3);

  // When the inactivity gap changes, then every cached session is sessionized again
  await w.run('cached/gap', ['--session-gap', '10m']);
  await w.run('full/gap', ['--session-gap', '10m']);
  expect(w.manifest('cached/gap').refresh?.reusedSessions).toBe(0);
  expectSameAsFull(w, 'cached/gap', 'full/gap');
  // (and the cache, all of it new, was compacted back into one segment)
  expect(readdirSync(path.join(w.dir, 'cache')).sort()).toEqual(['index.json', expect.stringMatching(/^segment-.*\.parquet$/)]);
}, 300_000);

/** A workspace whose first 20 sample files were profiled with the cache (run `cached/a`). */
async function cachedDrop(): Promise<Workspace> {
  const w = workspace();
  w.add(ALL.slice(0, 20));
  await w.run('cached/a');
  return w;
}

test('a damaged cache index is a cold cache, not an error', async () => {
  // Given a cache whose index was cut short
  const w = await cachedDrop();
  writeFileSync(path.join(w.dir, 'cache', 'index.json'), '{"layout": 4, "segme');

  // When the next run uses it, then it parses everything again and rewrites the cache
  await w.run('cached/b');
  expect(w.manifest('cached/b').refresh).toMatchObject({ cachedFiles: 0, parsedFiles: 20 });
  await w.run('cached/c');
  expect(w.manifest('cached/c').refresh).toMatchObject({ cachedFiles: 20, parsedFiles: 0 });
}, 120_000);

test('a new file that is not a log leaves the cached ones to read, with a warning', async () => {
  // Given a cached drop
  const w = await cachedDrop();
  // When the only new file is not a log (ALB writes one when access logging is turned on)
  writeFileSync(path.join(w.dir, 'drop', 'ELBAccessLogTestFile'), 'Enable AccessLog for ELB: shop-prod at 2026-11-04T00:00:00.000Z\n');
  await w.run('cached/b');
  // Then the run reads the cached files, as before, and says what it skipped
  expect(w.manifest('cached/b').refresh).toMatchObject({ cachedFiles: 20, parsedFiles: 0 });
  expect(w.manifest('cached/b').warnings).toEqual([expect.stringMatching(/skipped .*ELBAccessLogTestFile: unknown log format/)]);
  expectSameAsFull(w, 'cached/b', 'cached/a');
}, 120_000);

test('files cached under another reading of their lines (a new --log-format) are parsed again', async () => {
  // Given a cache of the real netnea log, read as plain combined: its response times (%D, far past the agent) unread
  const w = workspace();
  const real = path.join(REAL_LOGS, 'netnea-cms-2016');
  w.add([path.join(real, 'tutorial-5-example-access.log')], real);
  await w.run('cached/a');
  const timed = (name: string) => w.model(name).personas.flatMap((p) => p.states).some((st) => st.responseTimeMs.p50 > 0);
  expect(timed('cached/a')).toBe(false);

  // When the user gives the layout the server writes, then the file is parsed again with it, and cached for the next run
  const layout = ['--log-format', NETNEA_LAYOUT];
  await w.run('cached/b', layout);
  expect(w.manifest('cached/b').refresh).toMatchObject({ cachedFiles: 0, parsedFiles: 1 });
  expect(timed('cached/b')).toBe(true);
  await w.run('cached/c', layout);
  expect(w.manifest('cached/c').refresh).toMatchObject({ cachedFiles: 1, parsedFiles: 0 });
  expect(w.model('cached/c')).toEqual(w.model('cached/b'));
}, 120_000);

test('new lines that extend or bridge an idle session pull it back in, wherever in the gap they fall', async () => {
  // Given a combined log of returning visitors (one file), then a later file with their next requests:
  // A comes back 17 minutes after its last request (same session under a 30-minute gap), B's two
  // sessions 50 minutes apart are bridged by a request in between, C starts a new session an hour on
  const w = workspace();
  const dir = path.join(w.dir, 'drop');
  mkdirSync(dir, { recursive: true });
  const t0 = Date.UTC(2026, 10, 2, 9, 0, 0);
  const line = (ip: string, at: number, p: string) =>
    `${ip} - - [${clf(t0 + at * 1000)}] "GET ${p} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0"\n`;
  const crowd = Array.from({ length: 40 }, (_, i) => [0, 20, 45].map((s) => line(`10.0.1.${i}`, i * 30 + s, `/p/${i % 7}`)).join('')).join('');
  writeFileSync(path.join(dir, 'access.log.1'),
    crowd + line('10.9.0.1', 0, '/a') + line('10.9.0.1', 40, '/b') + line('10.9.0.2', 0, '/a') + line('10.9.0.2', 3000, '/c') + line('10.9.0.3', 0, '/a'));
  await w.run('cached/a');

  // When the next file arrives
  writeFileSync(path.join(dir, 'access.log'), line('10.9.0.1', 1060, '/c') + line('10.9.0.2', 1500, '/b') + line('10.9.0.3', 3700, '/b'));
  await w.run('cached/b');
  await w.run('full/b');

  // Then the sessions are the full run's: A one session of three requests, B one of three, C two
  expectSameAsFull(w, 'cached/b', 'full/b');
  const rows = w.sessions('cached/b').split('\n').filter((l) => l.startsWith('10.9.0.') || /,10\.9\.0\./.test(l));
  const requestsOf = (ip: string) => rows.filter((l) => l.includes(`,${ip},`)).map((l) => Number(l.split(',').at(-2))).sort();
  expect(requestsOf('10.9.0.1')).toEqual([3]);
  expect(requestsOf('10.9.0.2')).toEqual([3]);
  expect(requestsOf('10.9.0.3')).toEqual([1, 1]);
}, 120_000);

/** Common Log Format time: 02/Nov/2026:09:00:00 +0000. */
function clf(ms: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

test('logs with their own session ids keep them when every file comes from the cache', async () => {
  // Given JSON lines whose sessions come from a session_id column, profiled once with a cache
  const w = workspace();
  const sim = await runCli(['simulate', '--demo', '--out', path.join(w.dir, 'sim'), '--sessions', '300', '--days', '1', '--seed', '5', '--format', 'jsonl']);
  expect(sim.code).toBe(0);
  const logs = path.join(w.dir, 'sim', 'logs');
  w.add(listFiles(logs), logs);
  await w.run('cached/a');

  // When the same files are profiled again, every one of them read back from the cache
  await w.run('cached/b');
  await w.run('full/b');

  // Then the session ids still decide the sessions (no inactivity split crept in)
  expect(w.manifest('cached/b').refresh).toMatchObject({ parsedFiles: 0, resessionizedSessions: 0 });
  expectSameAsFull(w, 'cached/b', 'full/b');
}, 120_000);
