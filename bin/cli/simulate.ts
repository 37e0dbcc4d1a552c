/**
 * `loadprint simulate <model.json> --out DIR` (or `--demo`): the inverse of the pipeline. Generates
 * access logs from a traffic model, in any format Loadprint reads, with the ground truth (which
 * persona each session came from) next to them: for demos, tests and benchmarks.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { generateLogs } from '../../lib/adapters/generate-logs';
import type { GenerateLogsOptions } from '../../lib/adapters/generate-logs';
import { DEFAULTS } from '../../lib/core/config';
import { InputError, OptionError, errorMessage } from '../../lib/core/errors';
import { checkModelInvariants, validateModelSchema } from '../../lib/core/model/validate-model-schema';
import { LOG_FORMATS } from '../../lib/core/types';
import type { LogFormat, TrafficModel } from '../../lib/core/types';
import { withErrors } from './with-errors';

interface SimulateFlags {
  out: string;
  demo?: boolean;
  format: string;
  sessions?: string;
  lines?: string;
  seed: string;
  days?: string;
  start?: string;
  malformed?: string;
  gzip?: boolean;
}

function positiveInt(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) {
    throw new OptionError(`${flag} ${value}: expected a whole number >= ${min}`);
  }
  return n;
}

/** Reads and checks a model file; every way it can be wrong is one line naming the file. */
export async function loadModel(file: string): Promise<TrafficModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `model file ${file} does not exist: pass the model.json of a run (or --demo for the demo world)`
        : `cannot read model file ${file}: ${errorMessage(e)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e: unknown) {
    throw new InputError(`model file ${file} is not JSON (${errorMessage(e)}): pass the model.json a run wrote`);
  }
  const verdict = validateModelSchema(json);
  const problems = verdict.ok ? checkModelInvariants(json as TrafficModel) : verdict.errors;
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new InputError(`model file ${file} is not a valid traffic model: ${problems[0]}${more}`);
  }
  const model = json as TrafficModel;
  if (model.personas.length === 0) throw new InputError(`model file ${file} has no personas: nothing to simulate`);
  return model;
}

async function refuseNonEmpty(dir: string): Promise<void> {
  const logs = path.join(dir, 'logs');
  const info = await stat(logs).catch(() => undefined);
  if (info && (!info.isDirectory() || (await readdir(logs)).length > 0)) {
    throw new OptionError(`${logs} already holds files: choose an empty --out folder so old and new logs do not mix`);
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Generate access logs (and their ground truth) from a traffic model: the inverse of `run`.')
    .argument('[model]', 'model.json to simulate (omit with --demo)')
    .requiredOption('--out <dir>', 'folder to write logs/ and truth.csv into')
    .option('--demo', 'simulate the built-in demo e-commerce world (five personas)')
    .option('--format <format>', `log format: ${LOG_FORMATS.join('|')}`, 'alb')
    .option('--sessions <n>', `sessions to simulate (default ${DEFAULTS.simulate.sessions})`)
    .option('--lines <n>', 'roughly this many log lines instead of a session count')
    .option('--seed <n>', 'random seed: same seed, same bytes', String(DEFAULTS.simulate.seed))
    .option('--days <n>', 'days of traffic in the demo world (default 7)')
    .option('--start <iso>', 'move the window to start at this UTC time, e.g. 2026-11-02T00:00:00Z')
    .option('--malformed <n>', 'inject exactly this many malformed lines (to test rejection counting)')
    .option('--gzip', 'gzip the output where the format makes it optional (CloudFront is gzip by default)')
    .action(
      withErrors(async (modelPath: string | undefined, flags: SimulateFlags) => {
        if (flags.demo && modelPath) throw new OptionError('give either a model file or --demo, not both');
        if (!flags.demo && !modelPath) throw new OptionError('nothing to simulate: pass a model.json or --demo');
        if (!(LOG_FORMATS as readonly string[]).includes(flags.format)) {
          throw new OptionError(`--format ${flags.format}: expected one of ${LOG_FORMATS.join(', ')}`);
        }
        const sessions = positiveInt('--sessions', flags.sessions);
        const lines = positiveInt('--lines', flags.lines);
        if (sessions !== undefined && lines !== undefined) throw new OptionError('give --sessions or --lines, not both');
        const seed = positiveInt('--seed', flags.seed, 0) ?? DEFAULTS.simulate.seed;
        const days = positiveInt('--days', flags.days);
        if (days !== undefined && !flags.demo) throw new OptionError('--days applies to --demo only (a model has its own window)');
        const malformed = positiveInt('--malformed', flags.malformed, 0);
        let start: Date | undefined;
        if (flags.start !== undefined) {
          start = new Date(flags.start);
          if (Number.isNaN(start.getTime())) throw new OptionError(`--start ${flags.start}: expected an ISO-8601 time such as 2026-11-02T00:00:00Z`);
        }
        const model = modelPath ? await loadModel(modelPath) : undefined;
        await refuseNonEmpty(flags.out);

        const opts: GenerateLogsOptions = { format: flags.format as LogFormat, outDir: flags.out, seed };
        if (model) opts.model = model;
        if (sessions !== undefined) opts.sessions = sessions;
        if (lines !== undefined) opts.targetLines = lines;
        if (days !== undefined) opts.days = days;
        if (start) opts.start = start;
        if (malformed !== undefined) opts.malformed = malformed;
        if (flags.gzip) opts.gzip = true;
        const r = await generateLogs(opts);
        const rate = r.seconds > 0 ? Math.round(r.lines / r.seconds) : r.lines;
        process.stdout.write(
          `wrote ${r.lines.toLocaleString('en-US')} ${r.format} lines from ${r.sessions.toLocaleString('en-US')} sessions ` +
            `into ${r.files.length} file(s) under ${r.logsDir} in ${r.seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} lines/s)` +
            `${r.malformed > 0 ? `, plus ${r.malformed} malformed line(s)` : ''}\n` +
            `window ${r.firstTime ?? '-'} .. ${r.lastTime ?? '-'}; ground truth (session -> persona) in ${r.truthFile ?? '-'}\n`,
        );
      }),
    );
}
