import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CliRunStarter, type RunOutcome } from '../../lib/adapters/cli-run-starter';
import { FolderStore } from '../../lib/adapters/folder-store';
import { RunRejectedError, RunsBusyError } from '../../lib/core/api/run-starter';
import { readJson, saveRequest } from '../../lib/core/api/runs';
import { memoryLogger } from '../core/api/api-test-kit';

const FAKE_CLI = path.join(__dirname, '..', 'cli', 'fixtures', 'fake-loadprint.js');

describe('CliRunStarter (local runs as child processes)', () => {
  let base: string;
  let root: string;
  let logs: string;
  let outcomes: RunOutcome[];
  let store: FolderStore;
  const make = (extra: Partial<ConstructorParameters<typeof CliRunStarter>[0]> = {}) =>
    new CliRunStarter({
      store,
      resultsRoot: root,
      command: { executable: process.execPath, args: [FAKE_CLI, 'run'] },
      clock: { now: () => new Date() },
      logger: memoryLogger(),
      onFinished: (o) => outcomes.push(o),
      ...extra,
    });

  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'lp-starter-'));
    root = path.join(base, 'results');
    logs = path.join(base, 'logs');
    await mkdir(logs);
    await writeFile(path.join(logs, 'access.log'), '127.0.0.1 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12\n');
    await writeFile(path.join(logs, 'bad.log'), 'not a log\n');
    await writeFile(path.join(logs, 'crash.log'), 'x\n');
    store = new FolderStore(root);
    outcomes = [];
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('runs `loadprint run <inputs> --out <root>/runs/<id>` in the background and points latest.json at it', async () => {
    const starter = make();
    // When a run is started
    await starter.start({ inputs: [path.join(logs, 'access.log')], runId: 'r-ok' });
    await starter.whenIdle();
    // Then the run folder holds the pipeline's output, and latest names it
    const manifest = await readJson<{ status: string; inputs: { path: string }[] }>(store, 'runs/r-ok/manifest.json');
    expect(manifest?.status).toBe('succeeded');
    expect(manifest?.inputs.map((i) => i.path)).toEqual([path.join(logs, 'access.log')]);
    expect(await readJson(store, 'latest.json')).toEqual({ runId: 'r-ok' });
    expect(outcomes).toEqual([{ runId: 'r-ok', status: 'succeeded', exitCode: 0 }]);
  });

  it('passes the reading options to `loadprint run` as its flags, after the inputs', async () => {
    const starter = make();
    await starter.start({ inputs: [path.join(logs, 'access.log')], runId: 'r-read', reading: { format: 'combined', logFormat: '%h %t "%r" %>s' } });
    await starter.whenIdle();
    const manifest = await readJson<{ inputs: { path: string }[]; options: { args: string[] } }>(store, 'runs/r-read/manifest.json');
    expect(manifest?.inputs.map((i) => i.path)).toEqual([path.join(logs, 'access.log')]);
    expect(manifest?.options.args).toEqual(['--cache', path.join(root, 'cache'), '--format', 'combined', '--log-format', '%h %t "%r" %>s']);
  });

  it('records the CLI’s error line when a run dies before writing a manifest', async () => {
    const starter = make();
    await saveRequest(store, { runId: 'r-bad', status: 'pending', requestedAt: '2026-11-28T10:00:00.000Z', inputs: ['logs/bad.log'] });
    await starter.start({ inputs: [path.join(logs, 'bad.log')], runId: 'r-bad' });
    await starter.whenIdle();
    const record = await readJson<{ status: string; requestedAt: string; error: { message: string } }>(store, 'requests/r-bad.json');
    expect(record).toMatchObject({ status: 'failed', requestedAt: '2026-11-28T10:00:00.000Z' });
    expect(record?.error.message).toMatch(/^loadprint: no log lines found in .*bad\.log; check --format$/);
    expect(await readJson(store, 'latest.json')).toBeUndefined();
  });

  it('marks a manifest left at `running` by a crashed run as failed', async () => {
    const starter = make();
    await starter.start({ inputs: [path.join(logs, 'crash.log')], runId: 'r-crash' });
    await starter.whenIdle();
    const manifest = await readJson<{ status: string; error: { message: string }; finishedAt: string }>(store, 'runs/r-crash/manifest.json');
    expect(manifest?.status).toBe('failed');
    expect(manifest?.error.message).toContain('out of memory');
    expect(outcomes[0]).toMatchObject({ runId: 'r-crash', status: 'failed', exitCode: 1 });
  });

  it('refuses inputs that do not exist or lie outside the allowed roots, starting nothing', async () => {
    const starter = make({ allowedInputRoots: [logs] });
    await expect(starter.start({ inputs: [path.join(logs, 'missing.log')], runId: 'r1' })).rejects.toThrow(/does not exist/);
    await writeFile(path.join(base, 'elsewhere.log'), 'x');
    await expect(starter.start({ inputs: [path.join(base, 'elsewhere.log')], runId: 'r2' })).rejects.toBeInstanceOf(RunRejectedError);
    await expect(starter.start({ inputs: [`${logs}/../elsewhere.log`], runId: 'r3' })).rejects.toBeInstanceOf(RunRejectedError);
    expect(starter.activeRuns).toBe(0);
    expect(await store.list('runs/')).toEqual([]);
  });

  it('refuses a run beyond its concurrency limit with a retry hint', async () => {
    const starter = make({ maxConcurrent: 1 });
    await starter.start({ inputs: [path.join(logs, 'access.log')], runId: 'r-a' });
    const busy = starter.start({ inputs: [path.join(logs, 'access.log')], runId: 'r-b' });
    await expect(busy).rejects.toBeInstanceOf(RunsBusyError);
    await starter.whenIdle();
    await starter.start({ inputs: [path.join(logs, 'access.log')], runId: 'r-c' });
    await starter.whenIdle();
    expect(outcomes.map((o) => o.runId)).toEqual(['r-a', 'r-c']);
  });
});
