import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerSimulate } from '../../../bin/cli/simulate';
import { demoWorld } from '../../../lib/core/simulate/demo-world';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'loadprint-simcli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  const program = new Command('loadprint').option('--debug').exitOverride();
  registerSimulate(program);
  let stdout = '';
  let stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  process.exitCode = undefined;
  await program.parseAsync(['node', 'loadprint', 'simulate', ...args]);
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  jest.restoreAllMocks();
  return { stdout, stderr, exitCode };
}

describe('loadprint simulate', () => {
  it('writes the demo world as CloudFront logs with its ground truth', async () => {
    // Given an empty output folder
    const out = path.join(tmp, 'demo');
    // When the demo world is simulated for one day
    const r = await run(['--demo', '--days', '1', '--sessions', '120', '--format', 'cloudfront', '--out', out, '--seed', '3']);
    // Then it succeeds, says where the logs are, and writes gzip'd hourly files plus truth.csv
    expect(r.exitCode).toBeUndefined();
    expect(r.stdout).toMatch(/wrote [\d,]+ cloudfront lines from 120 sessions/);
    expect(readdirSync(path.join(out, 'logs')).every((f) => f.endsWith('.gz'))).toBe(true);
    expect(readFileSync(path.join(out, 'truth.csv'), 'utf8').trim().split('\n')).toHaveLength(121);
  });

  it('simulates a model file', async () => {
    // Given a model.json on disk
    const file = path.join(tmp, 'model.json');
    writeFileSync(file, JSON.stringify(demoWorld({ days: 1 })));
    // When it is simulated as JSON lines
    const out = path.join(tmp, 'from-model');
    const r = await run([file, '--sessions', '50', '--format', 'jsonl', '--out', out]);
    // Then the records are there
    expect(r.exitCode).toBeUndefined();
    const lines = readFileSync(path.join(out, 'logs', 'requests.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(50);
  });

  it.each([
    ['a missing model file', (dir: string) => [path.join(dir, 'nope.json')], /model file .*nope\.json does not exist/],
    ['a model that is not JSON', (dir: string) => [writeBad(dir, 'bad.json', '{ not json')], /bad\.json is not JSON/],
    ['a model that is not a traffic model', (dir: string) => [writeBad(dir, 'wrong.json', '{"personas": 3}')], /wrong\.json is not a valid traffic model: /],
    ['both a model and --demo', (dir: string) => [path.join(dir, 'x.json'), '--demo'], /either a model file or --demo/],
    ['an unknown format', () => ['--demo', '--format', 'syslog'], /--format syslog: expected one of/],
    ['a bad session count', () => ['--demo', '--sessions', 'many'], /--sessions many: expected a whole number/],
  ])('refuses %s with one line and a non-zero exit', async (_what, args, message) => {
    const r = await run([...args(tmp), '--out', path.join(tmp, 'refused')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

function writeBad(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}
