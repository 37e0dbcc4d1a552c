/**
 * `npm run bench`: the whole local pipeline on generated ALB traffic (gzip, ALB's S3 layout, one
 * file per load-balancer node per 5 minutes), at 1M and 10M lines. Prints lines/s end to end, seconds
 * per step (from the run's manifest, so the two always agree), peak RSS, and the incremental refresh:
 * the same week plus one new hour, re-run against the per-file cache.
 *
 * Generated logs are cached under .bench-cache/ (gitignored): generating 10M lines takes minutes.
 * Usage: npm run bench [-- --sizes 1m,10m] [--skip-refresh]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateLogs } from '../lib/adapters/generate-logs';
import type { Manifest } from '../lib/core/types';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.bench-cache');
const SIZES: Record<string, number> = { '360k': 360_000, '1m': 1_000_000, '10m': 10_000_000 };

interface Dataset {
  logsDir: string;
  lines: number;
  files: number;
}

async function dataset(label: string, lines: number): Promise<Dataset> {
  const dir = path.join(CACHE, `alb-${label}`);
  const meta = path.join(dir, 'meta.json');
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as Dataset;
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`generating ${label} ALB lines (cached in ${path.relative(ROOT, dir)}) ...\n`);
  const r = await generateLogs({ format: 'alb', outDir: dir, targetLines: lines, seed: 42, days: 7, truth: false });
  const d: Dataset = { logsDir: r.logsDir, lines: r.lines, files: r.files.length };
  writeFileSync(meta, JSON.stringify(d));
  return d;
}

function run(logsDir: string, out: string, extra: string[] = []): { seconds: number; manifest: Manifest } {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'loadprint.js'), 'run', logsDir, '--out', out, ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`loadprint run failed: ${r.stderr}`);
  return { seconds, manifest: JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest };
}

function report(label: string, d: Dataset, seconds: number, m: Manifest): void {
  const steps = m.timings.map((t) => `${t.step} ${t.seconds.toFixed(2)}s`).join(', ');
  const inPipeline = m.timings.reduce((a, t) => a + t.seconds, 0);
  console.log(`\n${label}: ${d.lines.toLocaleString('en')} lines in ${d.files} gzip files`);
  console.log(`  end to end ${seconds.toFixed(2)} s (process start to exit) = ${Math.round(d.lines / seconds).toLocaleString('en')} lines/s`);
  console.log(`  pipeline   ${inPipeline.toFixed(2)} s = ${Math.round(d.lines / inPipeline).toLocaleString('en')} lines/s; start-up and exit ${(seconds - inPipeline).toFixed(2)} s`);
  console.log(`  steps      ${steps}`);
  console.log(`  peak RSS   ${m.resources?.peakRssMb ?? '?'} MB; sessions ${m.sessions.toLocaleString('en')}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = (args[args.indexOf('--sizes') + 1] && args.includes('--sizes') ? args[args.indexOf('--sizes') + 1]! : '1m,10m').split(',');
  mkdirSync(CACHE, { recursive: true });
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const work = path.join(os.tmpdir(), `loadprint-bench-${process.pid}`);
  for (const label of sizes) {
    const lines = SIZES[label];
    if (!lines) throw new Error(`unknown size ${label}; use ${Object.keys(SIZES).join(',')}`);
    const d = await dataset(label, lines);
    const out = path.join(work, label);
    const first = run(d.logsDir, out);
    report(label, d, first.seconds, first.manifest);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
