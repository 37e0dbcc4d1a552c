import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { DRIFT_EXIT_CODE, registerDiff } from '../../bin/cli/diff';
import type { RunSnapshot } from '../../lib/core/validation/diff-runs';
import { addState, baseRun, setShare } from '../core/validation/runs';

let root: string;
let stdout: string;
let stderr: string;
let savedExitCode: typeof process.exitCode;

async function writeRun(name: string, run: RunSnapshot, manifestRunId?: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(run.model));
  await writeFile(path.join(dir, 'personas.json'), JSON.stringify(run.personas));
  if (manifestRunId) await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ runId: manifestRunId }));
  return dir;
}

async function loadprint(...args: string[]): Promise<void> {
  const program = new Command('loadprint').exitOverride().option('--debug');
  registerDiff(program);
  await program.parseAsync(args, { from: 'user' });
}

function drifted(): RunSnapshot {
  const b = baseRun('b');
  setShare(b, 'checkout_buyer', 0.2);
  setShare(b, 'casual_browser', 0.5);
  addState(b, 'casual_browser', { id: 's5', method: 'POST', path: '/api/v1/wishlist', share: 0.1 }, 's3', 0.1);
  return b;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'loadprint-diff-'));
  stdout = '';
  stderr = '';
  savedExitCode = process.exitCode;
  process.exitCode = undefined;
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  process.exitCode = savedExitCode;
  await rm(root, { recursive: true, force: true });
});

describe('loadprint diff', () => {
  it('says keep and exits 0 when the runs match', async () => {
    // Given two run folders with the same traffic
    const a = await writeRun('a', baseRun('a'));
    const b = await writeRun('b', baseRun('b'));
    // When diffed
    await loadprint('diff', a, b);
    // Then the summary starts with the verdict, and the exit code is 0
    expect(process.exitCode ?? 0).toBe(0);
    expect(stdout.split('\n')[0]).toBe('KEEP your load tests: no significant drift from run a to run b');
    expect(stderr).toBe('');
  });

  it('says refresh with the reasons and exits with the drift code when a share doubled and an endpoint appeared', async () => {
    // Given run B with buyers doubled and a new endpoint; run A's id from its manifest
    const a = await writeRun('a', baseRun('a'), '2026-11-01T00-00-00Z-abc');
    const b = await writeRun('b', drifted());
    // When diffed
    await loadprint('diff', a, b);
    // Then the summary leads with REFRESH, names both changes, and the exit code is the drift code
    expect(process.exitCode).toBe(DRIFT_EXIT_CODE);
    expect(DRIFT_EXIT_CODE).not.toBe(1);
    expect(DRIFT_EXIT_CODE).not.toBe(2);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('REFRESH your load tests: production traffic drifted from run 2026-11-01T00-00-00Z-abc to run b');
    expect(lines[1]).toMatch(/^ {2}- persona checkout_buyer went from 10% to 20% of sessions/);
    expect(stdout).toContain('share changed: checkout_buyer 10% -> 20%');
    expect(stdout).toContain('Endpoints:  appeared: POST /api/v1/wishlist | vanished: none');
  });

  it('prints the drift report as JSON with --json', async () => {
    const a = await writeRun('a', baseRun('a'));
    const b = await writeRun('b', drifted());
    await loadprint('diff', a, b, '--json');
    const report = JSON.parse(stdout) as { verdict: string; endpoints: { appeared: string[] }; runB: string };
    expect(report.verdict).toBe('refresh');
    expect(report.endpoints.appeared).toEqual(['POST /api/v1/wishlist']);
    expect(report.runB).toBe('b');
    expect(process.exitCode).toBe(DRIFT_EXIT_CODE);
  });

  it('answers a missing folder with one line and exit 2', async () => {
    // Given a run folder that does not exist
    const a = await writeRun('a', baseRun('a'));
    const missing = path.join(root, 'nope');
    // When diffed
    await loadprint('diff', a, missing);
    // Then one line names it, nothing goes to stdout, and the exit code is 2
    expect(stderr).toBe(`loadprint: run folder ${missing} does not exist: pass a folder written by \`loadprint run --out DIR\`\n`);
    expect(stdout).toBe('');
    expect(process.exitCode).toBe(2);
  });

  it('names the file a folder lacks', async () => {
    const a = await writeRun('a', baseRun('a'));
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await loadprint('diff', a, empty);
    expect(stderr).toMatch(new RegExp(`^loadprint: ${path.join(empty, 'model.json')} not found: pass a run folder .*\\n$`));
    expect(process.exitCode).toBe(2);
  });

  it('names the broken file and its first problem when model.json is not a model', async () => {
    // Given run B whose model lost a persona's think time, and run C whose model is cut short
    const a = await writeRun('a', baseRun('a'));
    const broken = baseRun('b');
    delete (broken.model.personas[0] as unknown as Record<string, unknown>)['thinkTime'];
    const b = await writeRun('b', broken);
    const c = await writeRun('c', baseRun('c'));
    await writeFile(path.join(c, 'model.json'), '{"schemaVersion": 1, "personas": [');
    // When each is diffed
    await loadprint('diff', a, b);
    const first = stderr;
    stderr = '';
    await loadprint('diff', a, c);
    // Then each error is one line naming the file and what is wrong
    expect(first).toMatch(/^loadprint: .*b\/model\.json is not a valid Loadprint model: personas\[0\]: missing required field "thinkTime".*\n$/);
    expect(stderr).toMatch(/^loadprint: .*c\/model\.json is not valid JSON \(.+\): rerun `loadprint run` to rewrite it\n$/);
    expect(stdout).toBe('');
  });
});
