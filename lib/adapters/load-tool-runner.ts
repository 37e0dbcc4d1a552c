/**
 * Runs a generated scenario with its real load tool (Locust or Artillery) against a base URL, bounded
 * in time: the tool gets BASE_URL and THINK_SCALE like a user would give them, and is killed (its
 * whole process group) when it outlives its deadline, so a hung tool never hangs `loadprint validate`.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export type LoadTool = 'locust' | 'artillery';

export interface LoadToolRun {
  readonly tool: LoadTool;
  /** Folder holding the scenario (locustfile.py, or scenario.yml + processor.js). */
  readonly scenarioDir: string;
  readonly baseUrl: string;
  readonly thinkScale: number;
  /** Hard deadline; the tool is killed after it. */
  readonly timeoutMs: number;
  /** Executables; defaults are the Debian package and the repo's npm install. */
  readonly locustBin?: string;
  readonly artilleryBin?: string;
  /** Extra environment (ALLOW_PRODUCTION, proxies); the caller's environment is inherited. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LoadToolResult {
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  /** The last few KB of the tool's stdout and stderr, for error messages. */
  readonly outputTail: string;
}

/** Bytes of tool output kept for error messages. */
const OUTPUT_TAIL_CHARS = 4_000;
/** After SIGTERM, the tool gets this long to flush before SIGKILL. */
const KILL_GRACE_MS = 3_000;

export const DEFAULT_LOCUST_BIN = '/usr/bin/locust';
/** Artillery's CLI script, found through module resolution (works from the ESM bundle and from tests). */
export function defaultArtilleryBin(): string {
  // Not named `require`: CommonJS transpilers rewrite import.meta.url into a call of the real one.
  const resolver = createRequire(import.meta.url);
  return path.join(path.dirname(resolver.resolve('artillery/package.json')), 'bin', 'run');
}

export function loadToolCommand(run: LoadToolRun): { command: string; args: string[] } {
  if (run.tool === 'locust') {
    // No --run-time: the locustfile's LoadTestShape ends the test at the compiled duration.
    return { command: run.locustBin ?? DEFAULT_LOCUST_BIN, args: ['--headless', '-f', 'locustfile.py', '--host', run.baseUrl, '--only-summary'] };
  }
  return { command: run.artilleryBin ?? defaultArtilleryBin(), args: ['run', 'scenario.yml'] };
}

export function runLoadTool(run: LoadToolRun, now: () => number = Date.now): Promise<LoadToolResult> {
  const { command, args } = loadToolCommand(run);
  const started = now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: run.scenarioDir,
      env: {
        ...process.env,
        ...run.env,
        BASE_URL: run.baseUrl,
        THINK_SCALE: String(run.thinkScale),
        ARTILLERY_DISABLE_TELEMETRY: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills the tool's workers too (Locust forks, Artillery spawns).
      detached: true,
    });
    let output = '';
    const keep = (d: Buffer): void => {
      output = (output + d.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone: nothing to kill.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
    }, run.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, seconds: (now() - started) / 1000, outputTail: output });
    });
  });
}
