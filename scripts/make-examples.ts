/**
 * Writes the bundled sample logs under examples/<format>/ from the demo world: the same shop on one
 * Wednesday, one slice per format (ALB in its S3 layout, CloudFront hourly files, nginx combined, JSON
 * lines, CSV). ALB, which `npm start` profiles, holds the whole day with enough sessions for every
 * persona to show; the other formats the four evening hours (the daily peak), a few dozen sessions
 * each. Deterministic: rerunning it rewrites identical bytes.
 *
 *   npx tsx scripts/make-examples.ts
 *
 * The ground truth is not bundled (the pipeline would read truth.csv as a log); regenerate it with
 * `loadprint simulate --demo --days 1 --start 2026-11-04T00:00:00Z ...` when you need it.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsLogSink } from '../lib/adapters/fs-log-sink';
import { demoWorld } from '../lib/core/simulate/demo-world';
import { formatSpec } from '../lib/core/simulate/formats';
import { simulateSessions } from '../lib/core/simulate/simulate';
import { writeLogs } from '../lib/core/simulate/write-logs';
import type { LogFormat, TrafficModel } from '../lib/core/types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY = new Date('2026-11-04T00:00:00.000Z');
/** Hours of the day (UTC) the examples cover: the evening peak, where every persona is active. */
const HOURS = [17, 18, 19, 20];

/** Sessions per format: ALB a whole day (a few MB), the others a few hundred KB each. */
const SLICES: readonly { format: LogFormat; sessions: number; seed: number; gzip?: boolean; wholeDay?: boolean }[] = [
  { format: 'alb', sessions: 1500, seed: 101, wholeDay: true },
  { format: 'cloudfront', sessions: 90, seed: 102 },
  { format: 'combined', sessions: 50, seed: 103 },
  { format: 'jsonl', sessions: 50, seed: 104 },
  { format: 'csv', sessions: 50, seed: 105 },
];

/** The demo world with arrivals kept only in the chosen hours (shapes and shares otherwise unchanged). */
function eveningWorld(): TrafficModel {
  const world = demoWorld({ days: 1, start: DAY });
  for (const p of world.personas) {
    p.arrivals.counts = p.arrivals.counts.map((c, hour) => (HOURS.includes(hour) ? c : 0));
  }
  return world;
}

async function main(): Promise<void> {
  for (const slice of SLICES) {
    const world = slice.wholeDay ? demoWorld({ days: 1, start: DAY }) : eveningWorld();
    const target = path.join(ROOT, 'examples', slice.format);
    const staging = `${target}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const sessions = simulateSessions(world, { sessions: slice.sessions, seed: slice.seed, idPrefix: `${slice.format}-` });
    const fmt = slice.gzip === undefined ? { seed: slice.seed } : { seed: slice.seed, gzip: slice.gzip };
    const r = await writeLogs(formatSpec(slice.format, fmt), sessions, new FsLogSink(staging), {
      seed: slice.seed,
      prefix: '',
      truthPath: null,
    });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    process.stdout.write(`examples/${slice.format}: ${r.lines} lines, ${r.sessions} sessions, ${r.files.length} file(s)\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`make-examples: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
