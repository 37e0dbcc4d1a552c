/**
 * Batching of log drops for `loadprint watch`, as the S3 trigger batches in AWS: files that arrive
 * close together become ONE run, started once nothing new has arrived and nothing has grown for a
 * quiet period. A file still being written keeps changing size, so it holds the batch back; an
 * empty file is not yet a log. Pure and clock-injected: callers report what they see (`observe`)
 * and ask what is due (`takeDue`) with the current time.
 */

export interface FileSighting {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

interface Pending {
  size: number;
  mtimeMs: number;
}

export interface BatchWindowOptions {
  quietPeriodMs: number;
}

export class BatchWindow {
  /** Files waiting for the quiet period, by path. */
  private readonly pending = new Map<string, Pending>();
  /** What each path looked like when it was last handed out (or at startup): the same again is not new. */
  private readonly done = new Map<string, string>();
  /** When a pending file last appeared or changed. */
  private lastChangeMs: number | undefined;

  constructor(private readonly options: BatchWindowOptions) {
    if (!(options.quietPeriodMs >= 0)) throw new Error('quietPeriodMs must be >= 0');
  }

  /** Files already present when watching began: they belong to no batch unless they change. */
  baseline(files: readonly FileSighting[]): void {
    for (const f of files) this.done.set(f.path, signature(f));
  }

  /** Reports a file as seen now; a new or changed file (re)starts the quiet period. */
  observe(file: FileSighting, nowMs: number): void {
    const sig = signature(file);
    if (this.done.get(file.path) === sig) return;
    const before = this.pending.get(file.path);
    if (before && before.size === file.size && before.mtimeMs === file.mtimeMs) return;
    this.pending.set(file.path, { size: file.size, mtimeMs: file.mtimeMs });
    this.lastChangeMs = nowMs;
  }

  /** A pending file that disappeared (moved away, deleted before the batch started). */
  forget(path: string): void {
    this.pending.delete(path);
  }

  /** When the current batch becomes due, or undefined when nothing is pending. */
  dueAt(): number | undefined {
    if (this.lastChangeMs === undefined || this.readyPaths().length === 0) return undefined;
    return this.lastChangeMs + this.options.quietPeriodMs;
  }

  /**
   * The batch, if the quiet period has passed since the last change: every non-empty pending file,
   * sorted. They are marked done; empty files stay pending (they are still being created).
   */
  takeDue(nowMs: number): string[] {
    const due = this.dueAt();
    if (due === undefined || nowMs < due) return [];
    const batch = this.readyPaths();
    for (const p of batch) {
      const f = this.pending.get(p) as Pending;
      this.done.set(p, signature({ path: p, ...f }));
      this.pending.delete(p);
    }
    if (this.pending.size === 0) this.lastChangeMs = undefined;
    return batch;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private readyPaths(): string[] {
    return [...this.pending.entries()].filter(([, f]) => f.size > 0).map(([p]) => p).sort();
  }
}

function signature(f: FileSighting): string {
  return `${f.size}:${f.mtimeMs}`;
}

/** True for names that are not (yet) logs: hidden, temporary, partial downloads (regex sources). */
export function isIgnoredName(fileName: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => new RegExp(p, 'i').test(fileName));
}
