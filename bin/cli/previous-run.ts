/**
 * The run a new run is compared with for drift: the newest successful run folder next to it (in a
 * results root, its sibling under runs/; for `--out out/a`, another folder under out/).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../lib/core/types';
import type { RunSnapshot } from '../../lib/core/validation/diff-runs';
import { loadRun } from './diff';

export async function findPreviousRun(outDir: string): Promise<RunSnapshot | undefined> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const entries = await fs.readdir(parent, { withFileTypes: true }).catch(() => []);
  const candidates: { dir: string; finishedAt: string }[] = [];
  for (const e of entries) {
    const dir = path.join(parent, e.name);
    if (!e.isDirectory() || dir === target || e.name.startsWith('.')) continue;
    const manifest = await fs
      .readFile(path.join(dir, 'manifest.json'), 'utf8')
      .then((t) => JSON.parse(t) as Manifest)
      .catch(() => undefined);
    if (manifest?.status === 'succeeded' && manifest.finishedAt) candidates.push({ dir, finishedAt: manifest.finishedAt });
  }
  const newest = candidates.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  return newest ? loadRun(newest.dir).catch(() => undefined) : undefined;
}
