/**
 * Incremental refresh: with --cache, a run after a new drop parses only the new files and reads the
 * rest back from the per-file Parquet cache, and the sessions come out exactly as a full run makes
 * them (a session that straddles the boundary between old and new files stays whole).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../../lib/core/types';
import { REPO, runCli } from '../../helpers/cli';
import { listFiles } from '../../helpers/list-files';


test('a refresh after a new drop re-reads only the new files and rebuilds the same sessions', async () => {
  // Given the sample ALB logs, of which the last files (the newest 5-minute windows) arrive later
  const source = path.join(REPO, 'examples', 'alb');
  const all = listFiles(source).sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  const late = new Set(all.slice(-8));
  const work = mkdtempSync(path.join(os.tmpdir(), 'lp-cache-'));
  const drop = path.join(work, 'drop');
  const cache = path.join(work, 'cache');
  const copy = (f: string) => {
    const target = path.join(drop, path.relative(source, f));
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(f, target, { preserveTimestamps: true });
  };
  all.filter((f) => !late.has(f)).forEach(copy);

  // When the first drop is profiled with a cache, then the late files arrive and it runs again
  const first = await runCli(['run', drop, '--out', path.join(work, 'runs', 'a'), '--cache', cache]);
  expect(first.code).toBe(0);
  late.forEach(copy);
  const second = await runCli(['run', drop, '--out', path.join(work, 'runs', 'b'), '--cache', cache]);
  expect(second.code).toBe(0);
  const full = await runCli(['run', drop, '--out', path.join(work, 'full', 'c')]);
  expect(full.code).toBe(0);

  // Then the second run parsed only the late files, and its sessions equal a full run's
  const manifest = (run: string) => JSON.parse(readFileSync(path.join(work, run, 'manifest.json'), 'utf8')) as Manifest;
  expect(manifest('runs/a').options['cachedFiles']).toBe(0);
  expect(manifest('runs/b').options['cachedFiles']).toBe(all.length - late.size);
  expect(manifest('runs/b').lines).toEqual(manifest('full/c').lines);
  expect(readFileSync(path.join(work, 'runs/b/sessions.csv'), 'utf8')).toBe(readFileSync(path.join(work, 'full/c/sessions.csv'), 'utf8'));
}, 120_000);
