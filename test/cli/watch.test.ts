import { appendFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readingArgs } from '../../lib/core/ingest/reading-options';
import { startWatch, type RunningWatch } from '../../bin/cli/watch';
import type { RunOutcome } from '../../lib/adapters/cli-run-starter';
import { FolderStore } from '../../lib/adapters/folder-store';
import { readJson } from '../../lib/core/api/runs';
import { memoryLogger } from '../core/api/api-test-kit';
import { runCli } from '../helpers/cli';
import { eventually } from './http-kit';

const FAKE_CLI = path.join(__dirname, 'fixtures', 'fake-loadprint.js');
const QUIET_MS = 1200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LINE = '203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /p/1 HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n';

describe('loadprint watch (drop folder -> batched runs)', () => {
  let base: string;
  let drop: string;
  let results: string;
  let watching: RunningWatch | undefined;
  let started: { runId: string; files: string[] }[];
  let finished: RunOutcome[];

  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'lp-watch-'));
    drop = path.join(base, 'drop');
    results = path.join(base, 'results');
    await mkdir(drop);
    await writeFile(path.join(drop, 'already-here.log'), LINE);
    started = [];
    finished = [];
    watching = await startWatch({
      dropDir: drop,
      resultsRoot: results,
      quietPeriodMs: QUIET_MS,
      scanIntervalMs: 200,
      cliEntry: FAKE_CLI,
      logger: memoryLogger(),
      onRunStarted: (run) => started.push(run),
      onRunFinished: (o) => finished.push(o),
    });
  });
  afterEach(async () => {
    await watching?.stop({ stopRuns: true });
    await rm(base, { recursive: true, force: true });
  });

  it('turns three files dropped within a few seconds into exactly one run', async () => {
    // Given three log files dropped 400 ms apart, one of them written in two parts, and a partial download
    await writeFile(path.join(drop, 'a.log'), LINE);
    await sleep(400);
    await writeFile(path.join(drop, 'b.log'), LINE);
    await writeFile(path.join(drop, 'c.log.part'), LINE);
    await sleep(400);
    await writeFile(path.join(drop, 'c.log'), LINE);
    await sleep(300);
    await appendFile(path.join(drop, 'c.log'), LINE.repeat(3));
    // When the quiet period passes and the run ends
    await eventually(async () => (finished.length > 0 ? true : undefined), 10_000);
    await sleep(QUIET_MS + 400); // long enough for a wrongly-batched second run to start
    // Then exactly one run was started, with the three files (and not the partial or pre-existing ones)
    expect(started).toHaveLength(1);
    expect(started[0]?.files).toEqual(['a.log', 'b.log', 'c.log'].map((f) => path.join(drop, f)));
    expect(await readdir(path.join(results, 'runs'))).toEqual([started[0]?.runId]);
    // And the run saw c.log complete, succeeded, and is now latest
    const store = new FolderStore(results);
    const manifest = await readJson<{ status: string; inputs: { path: string; bytes: number }[] }>(store, `runs/${started[0]?.runId}/manifest.json`);
    expect(manifest?.status).toBe('succeeded');
    expect(manifest?.inputs.find((i) => i.path.endsWith('c.log'))?.bytes).toBe(Buffer.byteLength(LINE) * 4);
    expect(await readJson(store, 'latest.json')).toEqual({ runId: started[0]?.runId });
  });

  it('starts a second run for files dropped after the first batch', async () => {
    await writeFile(path.join(drop, 'monday.log'), LINE);
    await eventually(async () => (finished.length === 1 ? true : undefined), 10_000);
    await mkdir(path.join(drop, 'tuesday'));
    await writeFile(path.join(drop, 'tuesday', 'tuesday.log'), LINE);
    await eventually(async () => (finished.length === 2 ? true : undefined), 10_000);
    expect(started.map((r) => r.files)).toEqual([[path.join(drop, 'monday.log')], [path.join(drop, 'tuesday', 'tuesday.log')]]);
    expect(finished.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('watch refuses what cannot work', () => {
  it('refuses a results root inside the drop folder and a missing drop folder', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'lp-watch-'));
    try {
      await expect(startWatch({ dropDir: base, resultsRoot: path.join(base, 'results'), logger: memoryLogger() })).rejects.toThrow(
        /inside the drop folder/,
      );
      await expect(startWatch({ dropDir: path.join(base, 'none'), resultsRoot: path.join(base, 'r'), logger: memoryLogger() })).rejects.toThrow(
        /is not a folder/,
      );
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('watch with the real `loadprint run`', () => {
  /** A watcher over a new drop folder whose runs are the built CLI, given `runArgs`. */
  async function watchWithRealRuns(runArgs: readonly string[] = []) {
    const base = await mkdtemp(path.join(tmpdir(), 'lp-watch-real-'));
    const drop = path.join(base, 'drop');
    const results = path.join(base, 'results');
    await mkdir(drop);
    const finished: RunOutcome[] = [];
    const started: { runId: string; files: string[] }[] = [];
    const watching = await startWatch({
      dropDir: drop,
      resultsRoot: results,
      quietPeriodMs: QUIET_MS,
      scanIntervalMs: 200,
      cliEntry: path.join(__dirname, '..', '..', 'bin', 'loadprint.js'),
      runArgs,
      logger: memoryLogger(),
      onRunStarted: (run) => started.push(run),
      onRunFinished: (o) => finished.push(o),
    });
    return { base, drop, results, started, finished, watching };
  }

  it('turns three dropped access logs into one real run that reads all three', async () => {
    // Given a watcher whose runs are the built CLI (bin/loadprint.js -> dist/cli.mjs)
    const { base, drop, results, started, finished, watching } = await watchWithRealRuns();
    try {
      // When three combined-format logs land 300 ms apart
      for (const day of ['25', '26', '27']) {
        const lines = Array.from({ length: 20 }, (_, i) =>
          `198.51.100.${i} - - [${day}/Nov/2026:10:${String(i).padStart(2, '0')}:00 +0000] "GET /p/${i} HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n`,
        ).join('');
        await writeFile(path.join(drop, `access-${day}.log`), lines);
        await sleep(300);
      }
      await eventually(async () => (finished.length > 0 ? true : undefined), 30_000, 100);
      await sleep(QUIET_MS + 400);
      // Then one run read all three files and succeeded
      expect(started).toHaveLength(1);
      expect(finished).toEqual([{ runId: started[0]?.runId, status: 'succeeded', exitCode: 0 }]);
      const manifest = await readJson<{ status: string; inputs: { path: string }[]; lines: { read: number } }>(
        new FolderStore(results),
        `runs/${started[0]?.runId}/manifest.json`,
      );
      expect(manifest?.status).toBe('succeeded');
      expect(manifest?.inputs).toHaveLength(3);
      expect(manifest?.lines.read).toBe(60);
    } finally {
      await watching.stop({ stopRuns: true });
      await rm(base, { recursive: true, force: true });
    }
  });

  it('refuses a layout that cannot describe requests before watching, in one line', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'lp-watch-bad-'));
    try {
      await mkdir(path.join(base, 'drop'));
      const r = await runCli(['watch', path.join(base, 'drop'), '--results', path.join(base, 'results'), '--log-format', '$remote_addr "$request"']);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toMatch(/^loadprint: --log-format lacks a time \(\$time_local, \$time_iso8601 or \$msec\) and a status \(\$status\)[^\n]*$/);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('reads every drop with the layout it was given (--log-format), response times included', async () => {
    // Given a watcher told the layout nginx writes, with $request_time last
    const layout = '$remote_addr [$time_local] "$request" $status "$http_user_agent" $request_time';
    const { base, drop, results, started, finished, watching } = await watchWithRealRuns(readingArgs({ format: 'auto', sessionGap: '30m', logFormat: layout }));
    try {
      // When a log in that layout lands (the built-in combined parse reads none of these lines)
      const lines = Array.from({ length: 20 }, (_, i) =>
        `198.51.100.${i % 4} [27/Nov/2026:10:${String(i).padStart(2, '0')}:00 +0000] "GET /p/${i} HTTP/1.1" 200 "Mozilla/5.0" 0.${String(100 + i)}\n`,
      ).join('');
      await writeFile(path.join(drop, 'access.log'), lines);
      await eventually(async () => (finished.length > 0 ? true : undefined), 30_000, 100);
      // Then its run read every line with the layout, and timed the responses
      expect(finished).toEqual([{ runId: started[0]?.runId, status: 'succeeded', exitCode: 0 }]);
      const store = new FolderStore(results);
      const manifest = await readJson<{ options: { logFormat: string }; lines: { read: number; parsed: number } }>(store, `runs/${started[0]?.runId}/manifest.json`);
      expect(manifest?.options.logFormat).toBe(layout);
      expect(manifest?.lines).toMatchObject({ read: 20, parsed: 20 });
      const model = await readJson<{ personas: { states: { responseTimeMs: { p50: number } }[] }[] }>(store, `runs/${started[0]?.runId}/model.json`);
      expect(model?.personas.flatMap((p) => p.states).every((st) => st.responseTimeMs.p50 >= 100)).toBe(true);
    } finally {
      await watching.stop({ stopRuns: true });
      await rm(base, { recursive: true, force: true });
    }
  });
});
