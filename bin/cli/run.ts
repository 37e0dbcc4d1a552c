/**
 * `loadprint run <path...> --out <dir>`: the whole local pipeline on the user's logs.
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { DuckDbEngine } from '../../lib/adapters/duckdb-engine';
import { DEFAULTS, parseDurationSeconds } from '../../lib/core/config';
import { InputError, OptionError } from '../../lib/core/errors';
import { discoverInputs } from '../../lib/core/ingest/discover-inputs';
import { isS3Uri } from '../../lib/core/s3-uri';
import { parseReadingOptions, READING_DEFAULTS, READING_FLAG_HELP, type ReadingFlags } from '../../lib/core/ingest/reading-options';
import { checkRunFolderPath } from '../../lib/core/pipeline/run-folder';
import { DEFAULT_RUN_OPTIONS, runPipeline, type RunOptions } from '../../lib/core/pipeline/run-pipeline';
import { loadChartLibrary } from '../../lib/core/report/load-chart-library';
import { resolveScenarioOptions } from '../../lib/core/scenarios/options';
import { TOOLS, type Logger, type Tool } from '../../lib/core/types';
import { pyCompileChecker } from '../../lib/adapters/python-syntax';
import type { LlmClient } from '../../lib/core/scenarios/ports';
import { makeWorkFolder } from './work-folder';
import { cliLogger, stepReporter } from './console';
import { findPreviousRun } from './previous-run';
import { newRunId, versions } from './run-id';
import { isDebug, withErrors } from './with-errors';

interface RunFlags extends ReadingFlags {
  out: string;
  k: string;
  algorithm: string;
  modelSessions: string;
  tools: string;
  writer: string;
  excludeBots?: boolean;
  duration: string;
  scale: string;
  personas?: string;
  writes: string;
  allowWrites?: string;
  bedrockModel?: string;
  cache?: string;
  runId?: string;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('profile access logs and write a run folder: sessions, personas, model, scenarios, validation, report')
    .argument('<path...>', 'log files or folders (recursively; .gz read as is), s3://bucket/prefix, or - for standard input')
    .requiredOption('--out <dir>', 'run folder to write');
  readingOptions(command)
    .option('--k <k>', 'number of personas, or auto (chosen by silhouette)', 'auto')
    .option('--algorithm <name>', 'clustering: kmeans|dbscan', DEFAULTS.personas.algorithm)
    .option('--model-sessions <n|all>', 'sessions per persona the model\'s statistics read at most, a uniform sample past it (sizes and arrivals count all)', String(DEFAULTS.model.maxSessionsPerPersona))
    .option('--tools <list>', `scenario tools: ${TOOLS.join(',')}`, TOOLS.join(','))
    .option('--writer <writer>', 'scenario writer: template|bedrock', DEFAULTS.scenarios.writer)
    .option('--exclude-bots', 'leave bot personas out of the scenarios')
    .option('--duration <duration>', 'length of the generated load test (the arrival curve is compressed into it)', `${DEFAULTS.scenarios.durationSeconds}s`)
    .option('--scale <factor>', 'multiply production arrival rates (2 = a peak event at twice the traffic)', String(DEFAULTS.scenarios.scale))
    .option('--personas <names>', 'comma-separated personas to keep in the scenarios (default: all)')
    .option('--writes <on|off>', 'off drops POST/PUT/PATCH/DELETE and renormalises the chains', 'on')
    .option('--allow-writes <pattern>', 'regular expression over "METHOD /template": dangerous writes it matches are sent')
    .option('--bedrock-model <id>', 'Bedrock model id of the bedrock writer', DEFAULTS.scenarios.bedrockModelId)
    .option('--cache <dir>', 'refresh cache: remember each input file and the sessions here; a later run parses only new files and re-sessionizes only what they touch')
    .option('--run-id <id>', 'run id (default: time-based)')
    .action(withErrors(async (paths: string[], flags: RunFlags, cmd: Command) => {
      const parsed = parseRunOptions(flags);
      const logger = cliLogger(isDebug(cmd));
      const local = paths.filter((p) => !isS3Uri(p) && p !== STDIN);
      if (paths.includes(STDIN) && flags.cache) {
        throw new OptionError('--cache remembers input files by their path, and standard input has none; save the logs to a file to use a cache');
      }
      await checkRunFolderPath(flags.out);
      const workDir = await makeWorkFolder('loadprint-');
      let engine: DuckDbEngine | undefined;
      try {
        // S3 objects are mirrored locally: into the cache, so that a later run fetches only new ones.
        const mirror = path.join(flags.cache ?? workDir, 's3');
        const fetched = await fetchFromS3(paths.filter(isS3Uri), mirror, logger);
        const piped = paths.includes(STDIN) ? [await saveStdin(workDir)] : [];
        const { files } = await discoverInputs([...local, ...piped], fetched);
        // Small inputs stay in memory (fastest); large ones get a database file in the work folder, so
        // tables live in DuckDB's buffer pool and spill to disk past the memory limit: peak memory
        // stays flat as the logs grow. Compressed inputs count at gzip's ratio (zstd's is alike).
        const inputBytes = files.reduce((a, f) => a + (f.gzip || f.path.endsWith('.zst') ? f.bytes * DEFAULTS.ingest.gzipRatio : f.bytes), 0);
        const onDisk = inputBytes > DEFAULTS.ingest.inMemoryInputBytes;
        const options: RunOptions = {
          ...parsed,
          sessionizePartRows: onDisk ? DEFAULTS.ingest.sessionizePartRows : DEFAULTS.ingest.inMemorySessionizePartRows,
        };
        engine = await DuckDbEngine.open({
          path: onDisk ? path.join(workDir, 'loadprint.duckdb') : ':memory:',
          memoryLimit: onDisk ? DEFAULTS.ingest.duckdbMemoryLimit : DEFAULTS.ingest.inMemoryDuckdbMemoryLimit,
          allocatorFlushThreshold: DEFAULTS.ingest.duckdbAllocatorFlushThreshold,
          tempDirectory: workDir,
        });
        const manifest = await runPipeline(
          {
            runId: flags.runId ?? newRunId(new Date()),
            files,
            explicitFiles: new Set([...local, ...piped]),
            outDir: flags.out,
            options,
            versions: await versions(engine),
            inputName: (p) =>
              piped.includes(p) ? STDIN_NAME : p.startsWith(mirror + path.sep) ? `s3://${path.relative(mirror, p).split(path.sep).join('/')}` : p,
          },
          {
            engine,
            clock: { now: () => new Date() },
            logger,
            monotonicMs: () => performance.now(),
            onStep: stepReporter(),
            chartLibrary: loadChartLibrary,
            previousRun: (current) => findPreviousRun(flags.out, current),
            resourceUsage: () => {
              const u = process.resourceUsage();
              return { peakRssMb: Math.round(u.maxRSS / 1024), cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 };
            },
            ...(options.writer === 'bedrock'
              ? { enrich: { llm: await bedrockLlm(flags.bedrockModel ?? DEFAULTS.scenarios.bedrockModelId), python: pyCompileChecker() } }
              : {}),
          },
        );
        const l = manifest.lines;
        process.stderr.write(
          `loadprint: ${l.parsed} of ${l.read} lines read (${l.rejected} rejected), ${manifest.sessions} sessions; results in ${flags.out}\n`,
        );
      } finally {
        engine?.close();
        await rm(workDir, { recursive: true, force: true });
      }
    }));
}

/** The path that reads logs from standard input (`kubectl logs ... | loadprint run - --out runs/today`). */
const STDIN = '-';
/** How messages and the manifest name what was read from it. */
const STDIN_NAME = 'standard input';

/**
 * Standard input saved to a file in `dir`, which the run then reads like a file it was given (named
 * `.gz` when it is gzip, which is told by its name; zstd is told by its bytes).
 */
async function saveStdin(dir: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new OptionError(`'-' reads logs from standard input, which is a terminal here; pipe them in, e.g. zcat access.log.*.gz | loadprint run - --out runs/today`);
  }
  const file = path.join(dir, 'stdin.log');
  await pipeline(process.stdin, createWriteStream(file));
  const head = Buffer.alloc(2);
  const fd = await open(file);
  const { bytesRead } = await fd.read(head, 0, head.length, 0).finally(() => fd.close());
  if (bytesRead === 0) throw new InputError('standard input is empty: nothing to read; pipe logs in, e.g. zcat access.log.*.gz | loadprint run - --out runs/today');
  if (head[0] !== 0x1f || head[1] !== 0x8b) return file;
  await rename(file, `${file}.gz`);
  return `${file}.gz`;
}

/**
 * The objects under `uris` mirrored into `mirror` (lib/adapters/s3-logs.ts), as local files. The AWS
 * SDK is loaded only here: every run without an s3:// input starts without it.
 */
async function fetchFromS3(uris: readonly string[], mirror: string, logger: Logger): Promise<string[]> {
  if (uris.length === 0) return [];
  const [{ fetchS3Logs, logsClient }, { default: progress }] = await Promise.all([import('../../lib/adapters/s3-logs'), import('cli-progress')]);
  const client = logsClient(process.env);
  // A bar on a terminal only: logs and CI output get the one line per location below.
  const bar = process.stderr.isTTY ? new progress.SingleBar({ format: '  {uri} [{bar}] {value}/{total} objects', stream: process.stderr }) : undefined;
  const fetched = await fetchS3Logs(uris, {
    client,
    dir: mirror,
    ...(bar ? { onProgress: (uri: string, done: number, total: number) => (done === 0 ? bar.start(total, 0, { uri }) : bar.update(done)) } : {}),
  }).finally(() => {
    bar?.stop();
    client.destroy();
  });
  for (const f of fetched) {
    logger.info(`${f.uri}: ${f.objects} objects (${(f.bytes / 1e6).toFixed(1)} MB), ${f.downloaded} downloaded, ${f.objects - f.downloaded} already here`);
  }
  return fetched.flatMap((f) => f.files);
}

/**
 * The Bedrock writer, loaded only when asked for: the AWS SDK is the heaviest import of the CLI, and
 * every other run, and every other command, starts without it.
 */
async function bedrockLlm(modelId: string): Promise<LlmClient> {
  const { BedrockLlm } = await import('../../lib/adapters/bedrock-llm');
  return new BedrockLlm({ modelId });
}

/** Declares the reading options on `command` (run, watch). */
export function readingOptions(command: Command): Command {
  return command
    .option('--format <format>', READING_FLAG_HELP.format, READING_DEFAULTS.format)
    .option('--session-gap <duration>', READING_FLAG_HELP.sessionGap, READING_DEFAULTS.sessionGap)
    .option('--session-cookie <name>', READING_FLAG_HELP.sessionCookie)
    .option('--columns <map>', READING_FLAG_HELP.columns)
    .option('--log-format <layout>', READING_FLAG_HELP.logFormat);
}

function parseRunOptions(flags: RunFlags): RunOptions {
  const reading = parseReadingOptions(flags);
  const k = flags.k === 'auto' ? 'auto' : Number(flags.k);
  if (k !== 'auto' && (!Number.isInteger(k) || k < 1 || k > 50)) throw new OptionError(`--k ${flags.k} must be auto or an integer from 1 to 50`);
  if (flags.algorithm !== 'kmeans' && flags.algorithm !== 'dbscan') throw new OptionError(`--algorithm ${flags.algorithm}: use kmeans or dbscan`);
  const modelSessions = flags.modelSessions === 'all' ? 'all' : Number(flags.modelSessions);
  if (modelSessions !== 'all' && (!Number.isInteger(modelSessions) || modelSessions < 100)) {
    throw new OptionError(`--model-sessions ${flags.modelSessions} must be all or an integer of at least 100`);
  }
  const tools = flags.tools.split(',').map((t) => t.trim()).filter(Boolean) as Tool[];
  const unknownTool = tools.find((t) => !TOOLS.includes(t));
  if (unknownTool) throw new OptionError(`--tools: unknown tool ${unknownTool}; use ${TOOLS.join(',')}`);
  if (flags.writer !== 'template' && flags.writer !== 'bedrock') throw new OptionError(`--writer ${flags.writer}: use template or bedrock`);
  const duration = parseDurationSeconds(flags.duration);
  if (duration === undefined || duration < 10) throw new OptionError(`--duration ${flags.duration}: use a duration of at least 10s, e.g. 10m`);
  if (flags.writes !== 'on' && flags.writes !== 'off') throw new OptionError(`--writes ${flags.writes}: use on or off`);
  // Validates --scale, --allow-writes and the rest now, before hours of profiling.
  const scenarios = resolveScenarioOptions({
    tools,
    durationSeconds: duration,
    scale: Number(flags.scale),
    excludeBots: Boolean(flags.excludeBots),
    writes: flags.writes,
    personas: flags.personas ? flags.personas.split(',').map((p) => p.trim()).filter(Boolean) : [],
    ...(flags.allowWrites ? { allowWrites: flags.allowWrites } : {}),
  });
  return {
    ...DEFAULT_RUN_OPTIONS,
    ...reading,
    k,
    algorithm: flags.algorithm,
    modelSessions,
    writer: flags.writer,
    scenarios,
    ...(flags.cache ? { cacheDir: flags.cache } : {}),
  };
}
