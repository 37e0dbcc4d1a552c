/**
 * `loadprint target`: runs the demo target server (lib/demo-target) in the foreground, so scenarios
 * can be tried and their traffic profiled without touching a real system. Ctrl-C stops it.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { OptionError, InputError } from '../../lib/core/errors';
import type { TrafficModel } from '../../lib/core/types';
import { startDemoTarget, type DemoTarget } from '../../lib/demo-target/server';
import { withErrors } from './with-errors';

interface TargetFlags {
  model?: string;
  port: string;
  log: string;
  latency: string;
  modelLatency?: boolean;
}

export function registerTarget(program: Command): void {
  program
    .command('target')
    .description('Run a local demo server that answers every route of a model and writes an nginx access log.')
    .option('--model <file>', 'model.json whose routes to answer (default: answer every path)')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '8080')
    .option('--log <file>', 'access log to append to (nginx combined + request time)', 'access.log')
    .option('--latency <ms>', 'delay added to every response', '0')
    .option('--model-latency', "also delay each page by production's p50 response time")
    .action(withErrors(async (flags: TargetFlags) => {
      const target = await startTarget(flags);
      process.stderr.write(`loadprint: demo target on ${target.url}, logging to ${flags.log} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void target.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }));
}

/** Validates the flags and starts the server; exported for tests. */
export async function startTarget(flags: TargetFlags): Promise<DemoTarget> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError(`--port must be 0..65535 (got "${flags.port}")`);
  const latencyMs = Number(flags.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new OptionError(`--latency must be milliseconds >= 0 (got "${flags.latency}")`);
  const model = flags.model === undefined ? undefined : await readModel(flags.model);
  try {
    return await startDemoTarget({
      port,
      logFile: flags.log,
      latencyMs,
      modelLatency: flags.modelLatency ?? false,
      ...(model ? { model } : {}),
    });
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new OptionError(`port ${port} is already in use; pick another with --port`);
    if (code === 'ENOENT' || code === 'EACCES') throw new InputError(`cannot write the access log ${flags.log} (${code}); check the folder exists and is writable`);
    throw e;
  }
}

async function readModel(file: string): Promise<TrafficModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`cannot read ${file}; give the path of a run's model.json with --model`);
  }
  try {
    const model = JSON.parse(text) as TrafficModel;
    if (!Array.isArray(model.personas)) throw new Error('no personas');
    return model;
  } catch {
    throw new InputError(`${file} is not a Loadprint model.json (expected {"personas": [...]}); give a run's model.json`);
  }
}
