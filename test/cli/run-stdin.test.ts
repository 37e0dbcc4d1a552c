/**
 * `loadprint run -`: logs piped in (`kubectl logs ... | loadprint run - --out runs/today`) are read as a
 * file of them would be, gzipped or not, and named "standard input".
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expectReadAlike, readRun, runCli } from '../helpers/cli';
import { REAL_LOGS as REAL } from '../helpers/real-logs';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'lp-stdin-'));
const LOG = path.join(REAL, 'apache-semicomplete', 'apache_logs');

describe('loadprint run - (standard input)', () => {
  test('piped logs, plain or gzipped, read as the file does, and the manifest names standard input', async () => {
    // Given the real log as a file, and the same log piped in as it is and gzipped
    const dir = tmp();
    const text = readFileSync(LOG);
    const runs = await Promise.all(
      [{ args: [LOG] }, { args: ['-'], input: text }, { args: ['-'], input: gzipSync(text) }].map(async ({ args, input }, i) => {
        const out = path.join(dir, `run-${i}`);
        const r = await runCli(['run', ...args, '--out', out], input ? { input } : {});
        expect(r.stderr).not.toMatch(/internal error/);
        expect(r.code).toBe(0);
        return readRun(out);
      }),
    );
    // Then the piped runs read the same lines into the same sessions
    const [file, ...piped] = runs;
    for (const run of piped) {
      expectReadAlike(run, file!);
      expect(run.manifest.inputs).toEqual([{ path: 'standard input', bytes: expect.any(Number), format: 'combined' }]);
    }
  });

  test('nothing piped, or a cache, is one line saying what to do', async () => {
    const dir = tmp();
    const empty = await runCli(['run', '-', '--out', path.join(dir, 'out')]);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^loadprint: standard input is empty: nothing to read; pipe logs in/)]);
    const cached = await runCli(['run', '-', '--out', path.join(dir, 'out'), '--cache', path.join(dir, 'cache')], { input: readFileSync(LOG) });
    expect(cached.code).not.toBe(0);
    expect(cached.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^loadprint: --cache remembers input files by their path, and standard input has none/)]);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
