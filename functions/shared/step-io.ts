/** Reads a step needs from the results bucket and from Athena results, with one clear error each. */
import { runKey } from '../../lib/core/api/runs';
import type { TaggedRow } from '../../lib/core/staged-run/tagged-rows';
import { readAthenaCsv } from './athena-csv';
import { workKey, type PipelineState, type StepDeps } from './step-handler';

export async function readJsonKey<T>(deps: StepDeps, key: string): Promise<T> {
  const body = await deps.store.get(key);
  if (!body) throw new Error(`${key} is missing from the results bucket (an earlier step did not write it)`);
  return JSON.parse(body.toString('utf8')) as T;
}

export const readRunJson = <T>(deps: StepDeps, state: PipelineState, file: string): Promise<T> => readJsonKey<T>(deps, runKey(state.runId, file));
export const readWorkJson = <T>(deps: StepDeps, state: PipelineState, file: string): Promise<T> => readJsonKey<T>(deps, workKey(state.runId, file));

export async function putJson(deps: StepDeps, key: string, value: unknown): Promise<void> {
  await deps.store.put(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

/** The rows of the Athena query whose result the workflow put at `$.athena.<name>`. */
export async function athenaRows(deps: StepDeps, state: PipelineState, name: 'sessionFeatures' | 'personaStatistics'): Promise<Record<string, string>[]> {
  const result = state.athena?.[name];
  if (!result?.outputLocation) throw new Error(`state.athena.${name}.outputLocation is missing (the Athena step did not run)`);
  return readAthenaCsv(deps.s3, result.outputLocation);
}

export function taggedRows(rows: readonly Record<string, string>[]): TaggedRow[] {
  return rows.map((r) => ({ kind: r['kind'] ?? '', payload: r['payload'] ?? '{}' }));
}
