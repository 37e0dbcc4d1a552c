/**
 * Generated logs for tests, cached per process-independent key under the OS temp folder: several
 * test files ask for the same week of traffic, and generating it once keeps the suite fast.
 * A cache entry is generated under a temporary name and renamed, so a half-written one is never used.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateLogs, type GenerateLogsOptions } from '../../lib/adapters/generate-logs';

export interface CachedLogs {
  dir: string;
  logsDir: string;
  truthFile: string;
  lines: number;
  sessions: number;
  malformed: number;
}

/** Set by test/global-setup.js to a folder that outlives the run's own temporary folder. */
const CACHE_ROOT = process.env['LOADPRINT_TEST_LOGS_CACHE'] ?? path.join(os.tmpdir(), 'loadprint-test-logs-v1');

export async function cachedLogs(key: string, opts: Omit<GenerateLogsOptions, 'outDir'>): Promise<CachedLogs> {
  const dir = path.join(CACHE_ROOT, key);
  const meta = path.join(dir, 'meta.json');
  if (existsSync(meta)) return JSON.parse(await fs.readFile(meta, 'utf8')) as CachedLogs;
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const r = await generateLogs({ ...opts, outDir: staging });
  const result: CachedLogs = {
    dir,
    logsDir: path.join(dir, path.relative(staging, r.logsDir)),
    truthFile: path.join(dir, 'truth.csv'),
    lines: r.lines,
    sessions: r.sessions,
    malformed: r.malformed,
  };
  await fs.writeFile(path.join(staging, 'meta.json'), JSON.stringify(result));
  await fs.mkdir(CACHE_ROOT, { recursive: true });
  await fs.rename(staging, dir).catch(async () => fs.rm(staging, { recursive: true, force: true }));
  return result;
}
