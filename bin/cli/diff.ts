/**
 * `loadprint diff <run-a> <run-b> [--json]`: has production's traffic drifted since run A enough to
 * refresh the load tests? Reads model.json and personas.json of two run folders and prints the
 * drift report. Exit codes follow diff(1)'s spirit: 0 keep, DRIFT_EXIT_CODE refresh, 2 bad input.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError, errorMessage } from '../../lib/core/errors';
import { validateModelSchema } from '../../lib/core/model/validate-model-schema';
import type { DriftReport, PersonasFile, TrafficModel } from '../../lib/core/types';
import { diffRuns, type RunSnapshot } from '../../lib/core/validation/diff-runs';
import { withErrors } from './with-errors';

/**
 * Exit code when the verdict is `refresh`. Not 1 (internal errors) nor 2 (bad input, from
 * withErrors), so scripts can tell "your tests are stale" from "diff failed".
 */
export const DRIFT_EXIT_CODE = 3;

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'Compare two runs (personas, endpoints, think times, arrivals) and say whether to refresh the load tests. ' +
        `Exit 0: keep; ${DRIFT_EXIT_CODE}: refresh; 2: bad input.`,
    )
    .argument('<run-a>', 'the older run folder (holds model.json and personas.json)')
    .argument('<run-b>', 'the newer run folder')
    .option('--json', 'print the drift report as JSON')
    .action(
      withErrors(async (dirA: string, dirB: string, opts: { json?: boolean }) => {
        const [a, b] = await Promise.all([loadRun(dirA), loadRun(dirB)]);
        const report = diffRuns(a, b);
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatDrift(report));
        if (report.verdict === 'refresh') process.exitCode = DRIFT_EXIT_CODE;
      }),
    );
}

/** Reads one run folder; every way it can be wrong becomes one line saying what and where. */
export async function loadRun(dir: string): Promise<RunSnapshot> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UserError(`run folder ${dir} does not exist: pass a folder written by \`loadprint run --out DIR\``);
  if (!info.isDirectory()) throw new UserError(`${dir} is not a folder: pass a run folder written by \`loadprint run --out DIR\``);
  const model = await readJson(dir, 'model.json');
  const personas = await readJson(dir, 'personas.json');
  checkModel(model, path.join(dir, 'model.json'));
  checkPersonas(personas, path.join(dir, 'personas.json'));
  const manifest = await readJson(dir, 'manifest.json').catch(() => undefined);
  const runId = isRecord(manifest) && typeof manifest['runId'] === 'string' ? manifest['runId'] : path.basename(path.resolve(dir));
  return { runId, model: model as TrafficModel, personas: personas as PersonasFile };
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(
        `${file} not found: pass a run folder written by \`loadprint run --out DIR\` (it holds model.json and personas.json)`,
      );
    }
    throw new UserError(`cannot read ${file}: ${errorMessage(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e: unknown) {
    throw new UserError(`${file} is not valid JSON (${errorMessage(e)}): rerun \`loadprint run\` to rewrite it`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates model.json against the repo's schema, so a foreign or truncated file fails with its path, not a TypeError. */
function checkModel(model: unknown, file: string): void {
  const verdict = validateModelSchema(model);
  if (!verdict.ok) {
    const more = verdict.errors.length > 1 ? ` (and ${verdict.errors.length - 1} more problem${verdict.errors.length > 2 ? 's' : ''})` : '';
    throw new UserError(`${file} is not a valid Loadprint model: ${verdict.errors[0] ?? 'unknown problem'}${more}; rerun \`loadprint run\` to rewrite it`);
  }
}

function checkPersonas(personas: unknown, file: string): void {
  if (!isRecord(personas) || !Array.isArray(personas['personas']) ||
      !personas['personas'].every((p: unknown) => isRecord(p) && typeof p['name'] === 'string' && typeof p['share'] === 'number')) {
    throw new UserError(`${file}: no "personas" list with name and share; is it a Loadprint personas.json? Rerun \`loadprint run\``);
  }
}

/** The human-readable summary: verdict first, then why, then every dimension in one line each. */
export function formatDrift(r: DriftReport): string {
  const pct = (v: number): string => `${Math.round(v * 1000) / 10}%`;
  const list = (items: string[]): string => (items.length > 0 ? items.join(', ') : 'none');
  const lines = [
    r.verdict === 'refresh'
      ? `REFRESH your load tests: production traffic drifted from run ${r.runA} to run ${r.runB}`
      : `KEEP your load tests: no significant drift from run ${r.runA} to run ${r.runB}`,
    ...r.reasons.map((reason) => `  - ${reason}`),
    `Personas:   appeared: ${list(r.personas.appeared)} | vanished: ${list(r.personas.vanished)} | share changed: ` +
      list(r.personas.shareChanged.map((c) => `${c.name} ${pct(c.from)} -> ${pct(c.to)}`)),
    `Endpoints:  appeared: ${list(r.endpoints.appeared)} | vanished: ${list(r.endpoints.vanished)}`,
    `Think time: median shifted: ${list(r.thinkTimeShift.map((t) => `${t.name} ${t.fromP50} s -> ${t.toP50} s`))}`,
    `Arrivals:   hourly profile correlation ${Math.round(r.arrivalShift.correlation * 1000) / 1000}, ` +
      `session-start rate x${Math.round(r.arrivalShift.volumeRatio * 100) / 100}`,
  ];
  return `${lines.join('\n')}\n`;
}
