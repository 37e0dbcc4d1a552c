/**
 * publish: completes the run folder: the manifest (status succeeded, sessions, step timings, scenario
 * outcomes, Athena's bytes scanned and their cost next to the plan's estimate), report.html, and the
 * `latest.json` pointer. The manifest is written after every other file: its status is the commit.
 */
import { publishLatest, runKey } from '../../lib/core/api/runs';
import { DEFAULTS } from '../../lib/core/config';
import { scanActuals } from '../../lib/core/cost';
import { renderReport } from '../../lib/core/report/render-report';
import type { Manifest, PersonasFile, ScenarioOutcome, StepTiming, TrafficModel, ValidationReport } from '../../lib/core/types';
import { putJson, readRunJson } from '../shared/step-io';
import type { PipelineState, StepDeps } from '../shared/step-handler';

/** State keys of the Lambda steps, in run order, as manifest step names. */
const STEP_KEYS = [['prepare', 'prepare'], ['cluster', 'personas'], ['model', 'model'], ['scenarios', 'scenarios'], ['validation', 'validation']] as const;

function timings(state: PipelineState): StepTiming[] {
  const out: StepTiming[] = [];
  for (const [key, step] of STEP_KEYS) {
    const seconds = state[key]?.['seconds'];
    if (typeof seconds === 'number') out.push({ step, seconds });
  }
  return out;
}

export async function publishStep(state: PipelineState, deps: StepDeps, chartLibrary: () => Promise<string>) {
  const draft = await readRunJson<Manifest & { cost?: Record<string, unknown> }>(deps, state, 'manifest.json');
  const personas = await readRunJson<PersonasFile>(deps, state, 'personas.json');
  const model = await readRunJson<TrafficModel>(deps, state, 'model.json');
  const validation = await readRunJson<ValidationReport>(deps, state, 'validation.json');
  const scanned = Object.values(state.athena ?? {}).map((a) => a.scannedBytes);
  const sessions = Number(state.model?.['sessions'] ?? 0);
  const requests = Number(state.cluster?.['requests'] ?? 0);
  const manifest: Manifest & { cost?: Record<string, unknown> } = {
    ...draft,
    status: 'succeeded',
    finishedAt: deps.now().toISOString(),
    sessions,
    lines: { read: requests, parsed: requests, rejected: 0, rejectedByReason: {}, samples: [] },
    timings: timings(state),
    scenarios: (state.scenarios?.['outcomes'] ?? []) as ScenarioOutcome[],
    cost: { ...draft.cost, actual: scanActuals(scanned, DEFAULTS.cost), queryExecutionIds: Object.values(state.athena ?? {}).map((a) => a.queryExecutionId) },
    warnings: [...draft.warnings, 'lines: Athena reads the log table through RegexSerDe; lines it cannot parse are not counted separately'],
  };
  await deps.store.put(runKey(state.runId, 'report.html'), renderReport({ manifest, personas, model, validation, drift: null, chartLibrary: await chartLibrary() }), 'text/html; charset=utf-8');
  await putJson(deps, runKey(state.runId, 'manifest.json'), manifest);
  const latest = await publishLatest(deps.store, state.runId);
  return { manifestKey: runKey(state.runId, 'manifest.json'), latest };
}
