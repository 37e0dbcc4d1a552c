/**
 * The PythonSyntaxChecker port on `python3 -m py_compile`: the source goes to a temporary file that
 * is compiled (never run) and removed; the compiler's last line is the reason.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PythonSyntaxChecker } from '../core/scenarios/ports';

/** Compiling a script takes well under a second; a hung interpreter must not stall a run. */
const TIMEOUT_MS = 20_000;

export function pyCompileChecker(python = 'python3'): PythonSyntaxChecker {
  return {
    async check(source: string): Promise<string | undefined> {
      const dir = await mkdtemp(join(tmpdir(), 'loadprint-py-'));
      const file = join(dir, 'candidate.py');
      try {
        await writeFile(file, source);
        return await new Promise<string | undefined>((resolve, reject) => {
          execFile(python, ['-m', 'py_compile', file], { timeout: TIMEOUT_MS }, (err, _stdout, stderr) => {
            if (!err) return resolve(undefined);
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`${python} not found`));
            const lines = String(stderr).trim().split('\n').filter(Boolean);
            resolve((lines[lines.length - 1] ?? err.message).replace(file, 'locustfile.py'));
          });
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
