/**
 * `npm run bench`: the whole local pipeline on generated ALB traffic (gzip, ALB's S3 layout, one
 * file per load-balancer node per 5 minutes), at 1M and 10M lines. Prints lines/s end to end, seconds
 * per step (from the run's manifest, so the two always agree), peak RSS, and the incremental refresh:
 * the same week plus one new hour, re-run against the per-file cache, and the persona, model and scenario
 * steps at a million sessions (steps-at-scale.ts).
 *
 * Ends with issue #9's targets, each met or not, from the figures above.
 *
 * Generated logs are cached under .bench-cache/ (gitignored): generating 10M lines takes minutes.
 * Sizes up to a million lines run three times and report the median run (a 2-core machine's runs
 * spread by a tenth); larger ones once. `--runs N` overrides both.
 * Usage: npm run bench [-- --sizes 1m,10m] [--runs N] [--skip-refresh] [--skip-scale]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateLogs } from '../lib/adapters/generate-logs';
import type { Manifest } from '../lib/core/types';
import { stepsAtScale } from './steps-at-scale';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.bench-cache');
const SIZES: Record<string, number> = { '360k': 360_000, '1m': 1_000_000, '10m': 10_000_000, '30m': 30_000_000 };
/** The issue's target for the persona, model and scenario steps is stated for a million sessions. */
const SCALED_SESSIONS = 1_000_000;
/** Runs per size when `--runs` is not given: the median of three up to this many lines, else one. */
const REPEATED_UP_TO_LINES = 1_000_000;
const REPEATS = 3;
/**
 * Issue #9's targets. The seed's pandas + scikit-learn recipe took about 15 s for feature engineering
 * and clustering of the 360k-line week (handed session ids), measured when the issue was filed.
 */
const TARGET = { linesPerSecond: 250_000, peakRssMb: 1024, seedSeconds: 15, seedSpeedup: 10, stepsAtScaleSeconds: 1 };

/** A target, the figure measured against it, and whether it holds. */
interface Verdict { target: string; measured: string; met: boolean }

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

/** The run with the median end-to-end time of `runs` runs, and every run's time. */
function medianRun(logsDir: string, out: string, runs: number): { seconds: number; manifest: Manifest; all: number[] } {
  const results = Array.from({ length: runs }, () => {
    rmSync(out, { recursive: true, force: true });
    return run(logsDir, out);
  });
  const sorted = [...results].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, all: results.map((r) => r.seconds) };
}

/** The targets one size's run speaks to: throughput from 1M lines up, memory at 10M, the seed at 360k. */
function verdicts(label: string, d: Dataset, seconds: number, m: Manifest): Verdict[] {
  const out: Verdict[] = [];
  const step = (name: string) => m.timings.find((t) => t.step === name)?.seconds ?? 0;
  if (d.lines >= 1_000_000) {
    out.push({
      target: `>= ${TARGET.linesPerSecond / 1000}k lines/s end to end (${label})`,
      measured: `${Math.round(d.lines / seconds / 1000)}k lines/s`,
      met: d.lines / seconds >= TARGET.linesPerSecond,
    });
  }
  if (d.lines >= 10_000_000) {
    const rss = m.resources?.peakRssMb ?? Infinity;
    out.push({ target: `peak RSS <= 1 GB (${label})`, measured: `${rss} MB`, met: rss <= TARGET.peakRssMb });
  }
  if (label === '360k') {
    // The seed's steps: sessions and their features, then clustering.
    const ours = step('sessions') + step('personas');
    out.push({
      target: `>= ${TARGET.seedSpeedup}x the seed recipe's ${TARGET.seedSeconds} s (sessions + personas, ${label})`,
      measured: `${ours.toFixed(2)} s, ${(TARGET.seedSeconds / ours).toFixed(1)}x`,
      met: TARGET.seedSeconds / ours >= TARGET.seedSpeedup,
    });
  }
  return out;
}

function report(label: string, d: Dataset, seconds: number, m: Manifest, all: number[]): void {
  const steps = m.timings.map((t) => `${t.step} ${t.seconds.toFixed(2)}s`).join(', ');
  const inPipeline = m.timings.reduce((a, t) => a + t.seconds, 0);
  const runs = all.length > 1 ? ` (median of ${all.length} runs: ${all.map((s) => s.toFixed(2)).join(', ')} s)` : '';
  console.log(`\n${label}: ${d.lines.toLocaleString('en')} lines in ${d.files} gzip files${runs}`);
  console.log(`  end to end ${seconds.toFixed(2)} s (process start to exit) = ${Math.round(d.lines / seconds).toLocaleString('en')} lines/s`);
  console.log(`  pipeline   ${inPipeline.toFixed(2)} s = ${Math.round(d.lines / inPipeline).toLocaleString('en')} lines/s; start-up and exit ${(seconds - inPipeline).toFixed(2)} s`);
  console.log(`  steps      ${steps}`);
  console.log(`  peak RSS   ${m.resources?.peakRssMb ?? '?'} MB; sessions ${m.sessions.toLocaleString('en')}`);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

/** ALB file names carry the end of their 5-minute window: `..._20261108T2355Z_...`. */
function windowOf(file: string): string {
  return /_(\d{8}T\d{4})Z_/.exec(path.basename(file))?.[1] ?? '';
}

/**
 * The week without its last hour is profiled with a cache; then the hour arrives and the run is
 * repeated: only the new hour's files are parsed. Files are hard-linked, not copied.
 */
function refresh(d: Dataset, work: string): Verdict {
  const files = listFiles(d.logsDir).sort((a, b) => windowOf(a).localeCompare(windowOf(b)));
  const lastWindow = windowOf(files[files.length - 1]!);
  const hourStart = new Date(Date.UTC(+lastWindow.slice(0, 4), +lastWindow.slice(4, 6) - 1, +lastWindow.slice(6, 8), +lastWindow.slice(9, 11), +lastWindow.slice(11, 13)) - 3600_000)
    .toISOString().replace(/[-:]/g, '').slice(0, 13);
  const drop = path.join(work, 'drop');
  const link = (f: string) => {
    const target = path.join(drop, path.relative(d.logsDir, f));
    mkdirSync(path.dirname(target), { recursive: true });
    linkSync(f, target);
  };
  const late = files.filter((f) => windowOf(f) > hourStart);
  files.filter((f) => windowOf(f) <= hourStart).forEach(link);
  const cache = path.join(work, 'cache');
  const first = run(drop, path.join(work, 'runs', 'week'), ['--cache', cache]);
  late.forEach(link);
  const second = run(drop, path.join(work, 'runs', 'week-plus-hour'), ['--cache', cache]);
  console.log(`\nincremental refresh (${files.length - late.length} files, then ${late.length} new files of the last hour):`);
  console.log(`  first run with cache ${first.seconds.toFixed(2)} s; after the new hour ${second.seconds.toFixed(2)} s (${Math.round((100 * second.seconds) / first.seconds)}% of the first)`);
  console.log(`  second run steps: ${second.manifest.timings.map((t) => `${t.step} ${t.seconds.toFixed(2)}s`).join(', ')}`);
  const r = second.manifest.refresh;
  if (r) console.log(`  second run read ${r.cachedFiles} files and ${r.reusedSessions.toLocaleString('en')} sessions back from the cache; parsed ${r.parsedFiles} files; sessionized ${r.resessionizedSessions.toLocaleString('en')} cached sessions again`);
  const share = second.seconds / first.seconds;
  return { target: 'a new hour on a cached week takes a fraction of the first run', measured: `${Math.round(100 * share)}%`, met: share < 1 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const sizes = (option('--sizes') ?? '1m,10m').split(',');
  const runs = option('--runs') !== undefined ? Number(option('--runs')) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs takes a whole number of runs, at least 1 (got ${option('--runs')})`);
  mkdirSync(CACHE, { recursive: true });
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const work = path.join(os.tmpdir(), `loadprint-bench-${process.pid}`);
  const targets: Verdict[] = [];
  for (const label of sizes) {
    const lines = SIZES[label];
    if (!lines) throw new Error(`unknown size ${label}; use ${Object.keys(SIZES).join(',')}`);
    const d = await dataset(label, lines);
    const out = path.join(work, label);
    const first = medianRun(d.logsDir, out, runs ?? (lines <= REPEATED_UP_TO_LINES ? REPEATS : 1));
    report(label, d, first.seconds, first.manifest, first.all);
    targets.push(...verdicts(label, d, first.seconds, first.manifest));
    if (label === sizes[0] && !args.includes('--skip-refresh')) targets.push(refresh(d, path.join(work, 'refresh')));
    if (label === sizes[0] && !args.includes('--skip-scale')) {
      const c = await stepsAtScale(d.logsDir, SCALED_SESSIONS);
      const t = c.seconds;
      console.log(`\nat ${c.sessions.toLocaleString('en')} sessions and ${c.events.toLocaleString('en')} requests (the sessions above, replicated):`);
      console.log(`  personas ${t.personas.toFixed(2)} s (the fit, the SQL assignment and the per-persona statistics; ${c.personas} personas)`);
      console.log(`  model ${t.model.toFixed(2)} s, scenarios ${t.scenarios.toFixed(2)} s; together ${(t.personas + t.model + t.scenarios).toFixed(2)} s`);
      const together = t.personas + t.model + t.scenarios;
      targets.push({
        target: `personas, model and scenarios under ${TARGET.stepsAtScaleSeconds} s at ${c.sessions.toLocaleString('en')} sessions`,
        measured: `${together.toFixed(2)} s`,
        met: together < TARGET.stepsAtScaleSeconds,
      });
    }
    rmSync(work, { recursive: true, force: true });
  }
  console.log('\ntargets (issue #9):');
  for (const v of targets) console.log(`  ${v.met ? 'met    ' : 'NOT MET'}  ${v.target}: ${v.measured}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
