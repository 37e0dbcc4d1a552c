/**
 * The local RunStarter: each run is a child process `loadprint run <inputs...> --out
 * <root>/runs/<runId>`, started in the background. When it ends, the outcome is made visible in
 * the results root: a successful run moves `latest.json`; a run that died before its manifest said
 * so gets a `failed` request record (or its manifest marked failed) with the CLI's last error line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { RunRejectedError, RunsBusyError, type RunStarter, type RunStartInput } from '../core/api/run-starter';
import { publishLatest, readManifest, readRequest, runKey, saveRequest } from '../core/api/runs';
import { readingArgs } from '../core/ingest/reading-options';
import type { Clock, Logger, ResultsStore } from '../core/types';

/** Folder of the results root that holds the refresh cache (incremental runs). */
export const REFRESH_CACHE_FOLDER = 'cache';

export interface RunOutcome {
  runId: string;
  status: 'succeeded' | 'failed';
  exitCode: number | null;
  /** The CLI's last stderr line when it failed. */
  error?: string;
}

export interface CliRunStarterProps {
  readonly store: ResultsStore;
  /** Absolute results root: runs are written to `<root>/runs/<runId>`. */
  readonly resultsRoot: string;
  /** The program and leading arguments, e.g. `[process.execPath, ['/repo/bin/loadprint.js', 'run']]`. */
  readonly command: { readonly executable: string; readonly args: readonly string[] };
  /** When given, every input must resolve inside one of these folders (HTTP callers choose the paths). */
  readonly allowedInputRoots?: readonly string[];
  /** Runs at once; one more is refused with RunsBusyError. @default Infinity */
  readonly maxConcurrent?: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onFinished?: (outcome: RunOutcome) => void;
}

/** stderr kept per child, for the error line: a run's progress output must not grow memory. */
const STDERR_TAIL_BYTES = 8 * 1024;
/** Retry-After suggested when busy: a small local run takes about this long. */
const BUSY_RETRY_SECONDS = 30;

function inside(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The last meaningful stderr line, e.g. `loadprint: no log lines found in /x (check --format)`. */
function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1]?.slice(0, 500);
}

export class CliRunStarter implements RunStarter {
  private readonly running = new Map<string, ChildProcess>();
  private readonly settled = new Set<Promise<void>>();

  constructor(private readonly props: CliRunStarterProps) {}

  get activeRuns(): number {
    return this.running.size;
  }

  async start({ inputs, runId, reading }: RunStartInput): Promise<void> {
    const max = this.props.maxConcurrent ?? Number.POSITIVE_INFINITY;
    if (this.running.size >= max) {
      throw new RunsBusyError(`${this.running.size} runs are in progress; try again when one has finished`, BUSY_RETRY_SECONDS);
    }
    const paths = await this.checkInputs(inputs);
    const out = path.join(this.props.resultsRoot, 'runs', runId);
    const { executable, args } = this.props.command;
    // Absolute paths only, so no input can be mistaken for an option of `loadprint run`.
    // The refresh cache lives under the results root, so each new drop re-reads only new files.
    const cache = path.join(this.props.resultsRoot, REFRESH_CACHE_FOLDER);
    const child = spawn(executable, [...args, ...paths, '--out', out, '--cache', cache, ...readingArgs(reading ?? {})], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    this.running.set(runId, child);
    this.props.logger.info('run.started', { runId, inputs: paths.length, pid: child.pid });
    const done = new Promise<void>((resolve) => {
      child.once('close', (code) => {
        this.finish(runId, code, stderr)
          .catch((e: unknown) => this.props.logger.warn('run.finish_failed', { runId, error: String(e) }))
          .finally(() => {
            this.running.delete(runId);
            this.settled.delete(done);
            resolve();
          });
      });
    });
    this.settled.add(done);
  }

  /** Resolves once every run started so far has ended and its outcome has been recorded. */
  async whenIdle(): Promise<void> {
    while (this.settled.size > 0) await Promise.all([...this.settled]);
  }

  /** Stops every run in progress (SIGTERM); their outcomes are still recorded. */
  async stopAll(): Promise<void> {
    for (const child of this.running.values()) child.kill('SIGTERM');
    await this.whenIdle();
  }

  private async checkInputs(inputs: readonly string[]): Promise<string[]> {
    const roots = await Promise.all((this.props.allowedInputRoots ?? []).map((r) => realpath(path.resolve(r))));
    const out: string[] = [];
    for (const input of inputs) {
      const abs = path.resolve(input);
      let real: string;
      try {
        real = await realpath(abs);
        await stat(real);
      } catch {
        throw new RunRejectedError(`input ${JSON.stringify(input)} does not exist on the server; give an existing log file or folder`);
      }
      if (this.props.allowedInputRoots && !roots.some((r) => inside(real, r))) {
        throw new RunRejectedError(
          `input ${JSON.stringify(input)} is outside the folders this server may read (${roots.join(', ')}); restart serve with --inputs-root`,
        );
      }
      out.push(real);
    }
    return out;
  }

  private async finish(runId: string, code: number | null, stderr: string): Promise<void> {
    const { store, clock } = this.props;
    const manifest = await readManifest(store, runId);
    let outcome: RunOutcome;
    if (code === 0 && manifest?.status === 'succeeded') {
      await publishLatest(store, runId);
      outcome = { runId, status: 'succeeded', exitCode: code };
    } else {
      const error = lastLine(stderr) ?? `loadprint run exited with ${code === null ? 'a signal' : `code ${code}`}`;
      outcome = { runId, status: 'failed', exitCode: code, error };
      if (manifest && manifest.status === 'running') {
        // The process is gone: a manifest still saying `running` would never change.
        const failed = { ...manifest, status: 'failed' as const, finishedAt: clock.now().toISOString(), error: { message: error } };
        await store.put(runKey(runId, 'manifest.json'), `${JSON.stringify(failed, null, 2)}\n`, 'application/json');
      } else if (!manifest) {
        const request = await readRequest(store, runId);
        await saveRequest(store, {
          runId,
          status: 'failed',
          requestedAt: request?.requestedAt ?? clock.now().toISOString(),
          inputs: request?.inputs ?? [],
          error: { message: error },
        });
      }
    }
    this.props.logger.info(`run.${outcome.status}`, { ...outcome });
    this.props.onFinished?.(outcome);
  }
}
