/**
 * The run a new run is compared with for drift: the newest successful run folder next to it (in a
 * results root, its sibling under runs/; for `--out out/a`, another folder under out/) that profiled
 * the same service (validation/same-service.ts). Any other pair of runs: `loadprint diff A B`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../lib/core/types';
import type { RunSnapshot } from '../../lib/core/validation/diff-runs';
import { runIdentity, sameService, type RunIdentity } from '../../lib/core/validation/same-service';
import { loadRun } from './diff';

export async function findPreviousRun(outDir: string, current: RunIdentity): Promise<RunSnapshot | undefined> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const entries = await fs.readdir(parent, { withFileTypes: true }).catch(() => []);
  const candidates: { dir: string; manifest: Manifest }[] = [];
  for (const e of entries) {
    const dir = path.join(parent, e.name);
    if (!e.isDirectory() || dir === target || e.name.startsWith('.')) continue;
    const manifest = await readJson<Manifest>(dir, 'manifest.json');
    if (manifest?.status === 'succeeded' && manifest.finishedAt) candidates.push({ dir, manifest });
  }
  candidates.sort((a, b) => b.manifest.finishedAt!.localeCompare(a.manifest.finishedAt!));
  for (const { dir, manifest } of candidates) {
    if (!Array.isArray(manifest.inputs)) continue;
    const run = await loadRun(dir).catch(() => undefined);
    if (run && sameService(current, runIdentity(manifest, run.model))) return run;
  }
  return undefined;
}

async function readJson<T>(dir: string, name: string): Promise<T | undefined> {
  return fs
    .readFile(path.join(dir, name), 'utf8')
    .then((t) => JSON.parse(t) as T)
    .catch(() => undefined);
}
