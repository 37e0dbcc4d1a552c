/**
 * `loadprint serve --dir <results-root>`: the REST API on this machine. A Node HTTP server turns
 * each request into an API Gateway REST event and hands it to the same handler Lambda runs, over a
 * FolderStore; POST /runs starts `loadprint run` as a background child process.
 */
import { createServer, type Server } from 'node:http';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CliRunStarter } from '../../lib/adapters/cli-run-starter';
import { FolderStore } from '../../lib/adapters/folder-store';
import { apiGatewayListener } from '../../lib/adapters/http-to-apigw';
import { DEFAULTS } from '../../lib/core/config';
import { OptionError } from '../../lib/core/errors';
import { createApiHandler, type ApiLogger } from '../../lib/core/api/handler';
import type { RunStarter } from '../../lib/core/api/run-starter';
import type { Clock } from '../../lib/core/types';
import { consoleLogger } from './console-logger';
import { isDebug, withErrors } from './with-errors';

export interface ServeOptions {
  /** The results root (holds `runs/<runId>/`). Must exist. */
  readonly dir: string;
  /** 0 picks a free port. @default 8080 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** How POST /runs starts runs. @default a CliRunStarter running `<cliEntry> run` */
  readonly runStarter?: RunStarter;
  /** The CLI entry script spawned for runs. @default process.argv[1] (the running loadprint) */
  readonly cliEntry?: string;
  /** Folders POST /runs inputs must lie in. @default [process.cwd()] */
  readonly inputsRoots?: readonly string[];
  readonly maxConcurrentRuns?: number;
  readonly logger?: ApiLogger;
  readonly clock?: Clock;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests; with `stopRuns`, also stops runs in progress. */
  close(options?: { stopRuns?: boolean }): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = path.resolve(options.dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new OptionError(`results root ${root} is not a folder; pass --dir <folder holding runs/<runId>/> (it may be empty)`);
  }
  const logger = options.logger ?? consoleLogger({ debug: false });
  const clock = options.clock ?? systemClock;
  const store = new FolderStore(root);
  const cliRunStarter =
    options.runStarter === undefined
      ? new CliRunStarter({
          store,
          resultsRoot: root,
          command: { executable: process.execPath, args: [options.cliEntry ?? (process.argv[1] as string), 'run'] },
          allowedInputRoots: options.inputsRoots ?? [process.cwd()],
          maxConcurrent: options.maxConcurrentRuns ?? DEFAULTS.serve.maxConcurrentRuns,
          clock,
          logger,
        })
      : undefined;
  const runStarter = options.runStarter ?? (cliRunStarter as CliRunStarter);
  // No Lambda deadline here: middy's early timeout stays off.
  const handler = createApiHandler({ store, runStarter, clock, logger }, { timeoutEarlyInMillis: 0 });
  const server: Server = createServer(
    apiGatewayListener(handler, {
      maxBodyBytes: DEFAULTS.api.maxBodyBytes,
      onError: (e) => logger.error('serve.adapter_error', { error: e }),
    }),
  );
  const host = options.host ?? DEFAULTS.serve.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE' || e.code === 'EACCES'
          ? new OptionError(`cannot listen on ${host}:${options.port ?? DEFAULTS.serve.port} (${e.code}); pass another --port`)
          : e,
      );
    });
    server.listen(options.port ?? DEFAULTS.serve.port, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async ({ stopRuns = false } = {}) => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      if (cliRunStarter) await (stopRuns ? cliRunStarter.stopAll() : cliRunStarter.whenIdle());
    },
  };
}

function parsePort(text: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new OptionError(`--port ${text} is not a port number (0-65535)`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the REST API over a results root (the same handler as the AWS API).')
    .requiredOption('--dir <results-root>', 'folder holding runs/<runId>/')
    .option('--port <port>', 'port to listen on (0 = any free port)', String(DEFAULTS.serve.port))
    .option('--host <host>', 'address to bind; keep loopback unless you mean to share', DEFAULTS.serve.host)
    .option('--inputs-root <dir...>', 'folders POST /runs may read logs from (default: the current folder)')
    .action(
      withErrors(async (opts: { dir: string; port: string; host: string; inputsRoot?: string[] }, cmd: Command) => {
        const logger = consoleLogger({ debug: isDebug(cmd) });
        const server = await startServer({
          dir: opts.dir,
          port: parsePort(opts.port),
          host: opts.host,
          logger,
          ...(opts.inputsRoot ? { inputsRoots: opts.inputsRoot } : {}),
        });
        process.stderr.write(`loadprint: serving ${path.resolve(opts.dir)} at ${server.url} (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close({ stopRuns: true });
      }),
    );
}
