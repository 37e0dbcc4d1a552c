/**
 * `loadprint watch <drop-dir> --results <root>`: new log files dropped into a folder start a run,
 * batched as the S3 trigger batches in AWS (one run per quiet period, not one per file). fs.watch
 * says when to look; a periodic rescan catches what it misses (editors, network folders, renames).
 * Which files form a batch, and when, is decided by the pure BatchWindow.
 */
import { randomBytes } from 'node:crypto';
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CliRunStarter, type RunOutcome } from '../../lib/adapters/cli-run-starter';
import { FolderStore } from '../../lib/adapters/folder-store';
import { formatRunId } from '../../lib/core/api/ids';
import type { RunStarter } from '../../lib/core/api/run-starter';
import { saveRequest } from '../../lib/core/api/runs';
import { DEFAULTS, parseDurationSeconds } from '../../lib/core/config';
import { errorMessage, OptionError } from '../../lib/core/errors';
import type { Clock, Logger } from '../../lib/core/types';
import { BatchWindow, isIgnoredName, type FileSighting } from '../../lib/core/watch/batch-window';
import { consoleLogger } from './console-logger';
import { parseReadingOptions, readingArgs, type ReadingFlags } from '../../lib/core/ingest/reading-options';
import { readingOptions } from './run';
import { isDebug, withErrors } from './with-errors';

export interface WatchOptions {
  readonly dropDir: string;
  readonly resultsRoot: string;
  /** @default DEFAULTS.watch.quietPeriodSeconds * 1000 */
  readonly quietPeriodMs?: number;
  /** @default DEFAULTS.watch.scanIntervalMs */
  readonly scanIntervalMs?: number;
  /** @default a CliRunStarter running `<cliEntry> run` */
  readonly runStarter?: RunStarter;
  /** @default process.argv[1] */
  readonly cliEntry?: string;
  /** Options every run gets (how lines are read: `readingArgs`), before its inputs. */
  readonly runArgs?: readonly string[];
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Called with each batch as its run starts. */
  readonly onRunStarted?: (run: { runId: string; files: string[] }) => void;
  readonly onRunFinished?: (outcome: RunOutcome) => void;
}

export interface RunningWatch {
  /** Stops watching; waits for runs in progress unless `stopRuns`. */
  stop(options?: { stopRuns?: boolean }): Promise<void>;
}

/** Upper bound on files looked at per scan: a drop folder is not an archive. */
const MAX_FILES_PER_SCAN = 10_000;

const systemClock: Clock = { now: () => new Date() };

function inside(child: string, root: string): boolean {
  return child === root || child.startsWith(root + path.sep);
}

export async function startWatch(options: WatchOptions): Promise<RunningWatch> {
  const dropDir = path.resolve(options.dropDir);
  const resultsRoot = path.resolve(options.resultsRoot);
  if (!(await stat(dropDir).catch(() => undefined))?.isDirectory()) {
    throw new OptionError(`drop folder ${dropDir} is not a folder; create it or pass the folder logs arrive in`);
  }
  if (inside(resultsRoot, dropDir)) {
    throw new OptionError(`--results ${resultsRoot} is inside the drop folder: every run would trigger another; put results elsewhere`);
  }
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger({ debug: false });
  const store = new FolderStore(resultsRoot);
  const quietPeriodMs = options.quietPeriodMs ?? DEFAULTS.watch.quietPeriodSeconds * 1000;
  const cliRunStarter =
    options.runStarter === undefined
      ? new CliRunStarter({
          store,
          resultsRoot,
          command: { executable: process.execPath, args: [options.cliEntry ?? (process.argv[1] as string), 'run', ...(options.runArgs ?? [])] },
          clock,
          logger,
          ...(options.onRunFinished ? { onFinished: options.onRunFinished } : {}),
        })
      : undefined;
  const runStarter = options.runStarter ?? (cliRunStarter as CliRunStarter);
  const window = new BatchWindow({ quietPeriodMs });
  const patterns = DEFAULTS.watch.ignoreNamePatterns;

  async function scan(): Promise<FileSighting[]> {
    const names = (await readdir(dropDir, { recursive: true }).catch(() => [] as string[])).slice(0, MAX_FILES_PER_SCAN);
    const seen: FileSighting[] = [];
    for (const rel of names) {
      if (rel.split(path.sep).some((part) => isIgnoredName(part, patterns))) continue;
      const full = path.join(dropDir, rel);
      const s = await stat(full).catch(() => undefined);
      if (s?.isFile()) seen.push({ path: full, size: s.size, mtimeMs: s.mtimeMs });
    }
    return seen;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();
  /** Paths present at the previous look, to notice pending files that vanished. */
  let pendingPaths = new Set<string>();

  async function startBatch(files: string[]): Promise<void> {
    const runId = formatRunId(clock.now(), randomBytes(3).toString('hex'));
    const requestedAt = clock.now().toISOString();
    await saveRequest(store, { runId, status: 'pending', requestedAt, inputs: files });
    try {
      await runStarter.start({ inputs: files, runId });
      logger.info('watch.run_started', { runId, files: files.length });
      options.onRunStarted?.({ runId, files });
    } catch (e: unknown) {
      logger.warn('watch.run_not_started', { runId, error: errorMessage(e) });
      await saveRequest(store, { runId, status: 'failed', requestedAt, inputs: files, error: { message: errorMessage(e) } });
    }
  }

  /** One look at the folder: record what changed, start a batch if its quiet period is over. */
  async function look(): Promise<void> {
    const now = clock.now().getTime();
    const files = await scan();
    const present = new Set(files.map((f) => f.path));
    for (const f of files) window.observe(f, now);
    for (const p of pendingPaths) if (!present.has(p)) window.forget(p);
    pendingPaths = present;
    const batch = window.takeDue(clock.now().getTime());
    if (batch.length > 0) await startBatch(batch);
    schedule();
  }

  /** Serialises looks: fs.watch bursts and the interval must not scan concurrently. */
  function lookSoon(): void {
    if (stopped) return;
    busy = busy.then(look).catch((e: unknown) => logger.warn('watch.scan_failed', { error: errorMessage(e) }));
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    const due = window.dueAt();
    if (stopped || due === undefined) return;
    timer = setTimeout(lookSoon, Math.max(0, due - clock.now().getTime()) + 1);
  }

  window.baseline(await scan());
  let watcher: FSWatcher | undefined;
  try {
    watcher = fsWatch(dropDir, { recursive: true }, () => lookSoon());
    watcher.on('error', (e) => logger.warn('watch.fs_watch_failed', { error: errorMessage(e) }));
  } catch (e: unknown) {
    logger.warn('watch.fs_watch_unavailable', { error: errorMessage(e) }); // the rescan still works
  }
  const interval = setInterval(lookSoon, options.scanIntervalMs ?? DEFAULTS.watch.scanIntervalMs);

  return {
    stop: async ({ stopRuns = false } = {}) => {
      stopped = true;
      clearInterval(interval);
      if (timer) clearTimeout(timer);
      watcher?.close();
      await busy;
      if (window.pendingCount > 0) logger.warn('watch.stopped_with_pending_files', { files: window.pendingCount });
      if (cliRunStarter) await (stopRuns ? cliRunStarter.stopAll() : cliRunStarter.whenIdle());
    },
  };
}

export function registerWatch(program: Command): void {
  const command = program
    .command('watch')
    .description('Start a run whenever new log files land in a folder (one run per quiet period).')
    .argument('<drop-dir>', 'folder new log files are dropped into')
    .requiredOption('--results <results-root>', 'results root; runs are written to <root>/runs/<runId>/')
    .option('--quiet <duration>', 'start a run once no file has arrived or grown for this long', `${DEFAULTS.watch.quietPeriodSeconds}s`);
  readingOptions(command)
    .action(
      withErrors(async (dropDir: string, opts: ReadingFlags & { results: string; quiet: string }, cmd: Command) => {
        const quiet = parseDurationSeconds(opts.quiet);
        if (quiet === undefined || quiet <= 0) throw new OptionError(`--quiet ${opts.quiet} is not a duration such as 5s or 1m`);
        // Checked now: a bad layout would otherwise fail every run the folder starts.
        parseReadingOptions(opts);
        const logger = consoleLogger({ debug: isDebug(cmd) });
        const watching = await startWatch({ dropDir, resultsRoot: opts.results, quietPeriodMs: quiet * 1000, logger, runArgs: readingArgs(opts) });
        process.stderr.write(
          `loadprint: watching ${path.resolve(dropDir)} (a run starts ${opts.quiet} after the last new file); results in ${path.resolve(opts.results)}/runs (Ctrl-C to stop)\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await watching.stop({ stopRuns: true });
      }),
    );
}
