/**
 * Two runs of the same logs write the same results, so that a user who diffs them sees only what
 * changed in the traffic. The week is large enough (585k lines) for DuckDB to aggregate on several
 * threads, where a sum meets its rows in a different order on each run.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { cachedLogs } from '../helpers/generated-logs';

/** A result file without the moment it was written. */
function content(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8').replace(/"generatedAt":\s*"[^"]*"/g, '"generatedAt": ""');
}

test('two runs of the same week write the same sessions, personas, model and validation', async () => {
  const logs = await cachedLogs('week-alb-20k', { format: 'alb', sessions: 20_000, seed: 7, days: 7 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'lp-twice-'));
  const [first, second] = [path.join(root, 'first'), path.join(root, 'second')];
  for (const out of [first, second]) {
    const r = await runCli(['run', logs.logsDir, '--out', out], { timeoutMs: 240_000 });
    expect(r.code).toBe(0);
  }
  for (const file of ['sessions.csv', 'personas.json', 'model.json', 'validation.json']) {
    expect({ file, same: content(first, file) === content(second, file) }).toEqual({ file, same: true });
  }
}, 300_000);
