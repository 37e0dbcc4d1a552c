/**
 * The streaming driver every log writer shares: it takes sessions in start order, asks the format to
 * render each one's lines, files them into time windows (one file per window and shard for ALB and
 * CloudFront, one ordered file otherwise), flushes a window as soon as no later session can add to it,
 * injects an exact number of malformed lines when asked, and writes the ground truth alongside.
 *
 * Why windows can be flushed early: sessions arrive in start order and every line of a session is
 * logged at or after its start, so once a session starting at S is seen, no window ending at or
 * before S can grow. Memory is bounded by the sessions in flight, not by the volume written.
 */
import { DEFAULTS } from '../config';
import type { LogFormat } from '../types';
import { Rng } from './rng';
import type { LogFileWriter, LogSink } from './sink';
import type { SimSession } from './simulate';
import { isoMillis } from './timefmt';

export interface LogLine {
  /** Log time of the line (the time the format files and sorts it by), epoch seconds. */
  t: number;
  text: string;
}

/** How one log format renders sessions and lays out its files. */
export interface FormatSpec {
  readonly format: LogFormat;
  /** Lines are grouped per window of this many seconds (a file per window unless `singleFile`). */
  readonly windowSeconds: number;
  /** All windows go, in order, into this one file (relative to the log prefix). */
  readonly singleFile?: string;
  /** Lines in a window are ordered by time plus up to this much random jitter (0: strictly ordered). */
  readonly jitterSeconds: number;
  readonly gzip: boolean;
  /** File path of a window (start, epoch s) and shard, relative to the log prefix. */
  filePath?(windowStart: number, shard: string): string;
  /** Text written at the top of every file (CloudFront's `#Version`/`#Fields`, CSV's header row). */
  header?(windowStart: number): string;
  /** The session's lines and the shard (e.g. the ALB node) that logged them. */
  render(session: SimSession): { shard: string; lines: LogLine[] };
  /** The i-th malformed line (0-based): a single line the format's parser must reject. */
  malformed(i: number): string;
}

export interface WriteLogsOptions {
  /** Seeds the writer's own randomness (ports, ids, jitter); same seed, same bytes. */
  seed: number;
  /** Exact number of malformed lines to inject, spread through the output. @default 0 */
  malformed?: number;
  /** Folder (relative to the sink) the log files go under. @default 'logs/' */
  prefix?: string;
  /** Ground-truth CSV path relative to the sink; null to skip. @default 'truth.csv' */
  truthPath?: string | null;
}

export interface WriteResult {
  format: LogFormat;
  sessions: number;
  /** Well-formed log lines (one per request). */
  lines: number;
  /** Malformed lines injected (exactly the number asked for). */
  malformed: number;
  /** Files written, relative to the sink, in the order they were completed. */
  files: string[];
  truthPath: string | null;
  /** First and last log times written (ISO), null when nothing was written. */
  firstTime: string | null;
  lastTime: string | null;
}

const TRUTH_HEADER = 'session_id,persona,client_ip,user_agent,start,requests\n';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function writeLogs(
  spec: FormatSpec,
  sessions: Iterable<SimSession>,
  sink: LogSink,
  opts: WriteLogsOptions,
): Promise<WriteResult> {
  const prefix = opts.prefix ?? 'logs/';
  const truthPath = opts.truthPath === undefined ? 'truth.csv' : opts.truthPath;
  const malformedWanted = Math.max(0, Math.floor(opts.malformed ?? 0));
  const stride = DEFAULTS.simulate.malformedStride;
  const jitterRng = Rng.derive(opts.seed, 11);
  const windows = new Map<number, Map<string, LogLine[]>>();
  const files: string[] = [];
  let single: LogFileWriter | undefined;
  let lines = 0;
  let malformed = 0;
  let sessionCount = 0;
  let first = Infinity;
  let last = -Infinity;
  let lastShard = '';

  const truth = truthPath === null ? undefined : sink.create(truthPath, { gzip: false });
  if (truth) await truth.write(TRUTH_HEADER);

  const bucketOf = (t: number): number => Math.floor(t / spec.windowSeconds) * spec.windowSeconds;
  const add = (t: number, shard: string, text: string): void => {
    const w = bucketOf(t);
    let shards = windows.get(w);
    if (!shards) windows.set(w, (shards = new Map()));
    let list = shards.get(shard);
    if (!list) shards.set(shard, (list = []));
    list.push({ t, text });
  };

  const flushWindow = async (w: number): Promise<void> => {
    const shards = windows.get(w);
    windows.delete(w);
    if (!shards) return;
    for (const shard of [...shards.keys()].sort()) {
      const list = shards.get(shard) ?? [];
      const keyed = list.map((l) => ({ k: l.t + (spec.jitterSeconds > 0 ? jitterRng.next() * spec.jitterSeconds : 0), l }));
      keyed.sort((a, b) => a.k - b.k);
      const body = keyed.map(({ l }) => l.text).join('\n') + '\n';
      if (spec.singleFile !== undefined) {
        if (!single) {
          const path = prefix + spec.singleFile;
          single = sink.create(path, { gzip: spec.gzip });
          files.push(path);
          if (spec.header) await single.write(spec.header(w));
        }
        await single.write(body);
      } else {
        const path = prefix + (spec.filePath?.(w, shard) ?? `${w}-${shard}.log`);
        const text = (spec.header?.(w) ?? '') + body;
        if (sink.writeWhole) {
          await sink.writeWhole(path, text, { gzip: spec.gzip });
        } else {
          const file = sink.create(path, { gzip: spec.gzip });
          await file.write(text);
          await file.close();
        }
        files.push(path);
      }
    }
  };

  const flushBefore = async (t: number): Promise<void> => {
    const done = [...windows.keys()].filter((w) => w + spec.windowSeconds <= t).sort((a, b) => a - b);
    for (const w of done) await flushWindow(w);
  };

  for (const session of sessions) {
    const start = session.requests[0]?.tStart;
    if (start === undefined) continue;
    await flushBefore(start);
    sessionCount++;
    const { shard, lines: rendered } = spec.render(session);
    lastShard = shard;
    for (const line of rendered) {
      add(line.t, shard, line.text);
      lines++;
      if (line.t < first) first = line.t;
      if (line.t > last) last = line.t;
      if (malformed < malformedWanted && lines % stride === 0) add(line.t, shard, spec.malformed(malformed++));
    }
    if (truth) {
      await truth.write(
        `${session.id},${csvField(session.persona)},${session.clientIp},${csvField(session.userAgent)},${isoMillis(start)},${session.requests.length}\n`,
      );
    }
  }
  // Too few lines for the stride: the rest go at the end, so the count is always exact.
  if (malformed < malformedWanted) {
    const t = Number.isFinite(last) ? last : 0;
    while (malformed < malformedWanted) add(t, lastShard, spec.malformed(malformed++));
  }
  await flushBefore(Infinity);
  if (single) await single.close();
  if (truth) await truth.close();
  return {
    format: spec.format,
    sessions: sessionCount,
    lines,
    malformed,
    files,
    truthPath,
    firstTime: Number.isFinite(first) ? isoMillis(first) : null,
    lastTime: Number.isFinite(last) ? isoMillis(last) : null,
  };
}
