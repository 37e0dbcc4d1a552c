/**
 * record-failure: the run's manifest with status failed and the reason (the caught error's name and
 * message, never the state's data), so the failure is visible where the results would have been.
 * Starts from the draft manifest when prepare-run wrote one.
 */
import { runKey } from '../../lib/core/api/runs';
import type { Manifest } from '../../lib/core/types';
import { putJson } from '../shared/step-io';
import type { PipelineState, StepDeps } from '../shared/step-handler';

/** The manifest's error message is shown by the API: keep it one readable line. */
const MAX_REASON_CHARS = 500;

/** The step that failed: the first Lambda step without an answer in the state. */
function failedStep(state: PipelineState): string {
  if (!state.prepare) return 'prepare';
  if (!state.athena?.['sessionFeatures']) return 'sessionFeatures';
  if (!state.cluster) return 'personas';
  if (!state.athena?.['personaStatistics']) return 'personaStatistics';
  if (!state.model) return 'model';
  if (!state.scenarios) return 'scenarios';
  if (!state.validation) return 'validation';
  return 'publish';
}

/** Lambda errors arrive as Cause = JSON {errorType, errorMessage, trace}; the trace is dropped. */
export function failureReason(error: PipelineState['error']): string {
  const name = error?.Error ?? 'Error';
  let message = error?.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string') message = cause.errorMessage;
  } catch {
    // Not JSON (an Athena or states error): the cause is the message.
  }
  return `${name}: ${message.split('\n')[0] ?? ''}`.slice(0, MAX_REASON_CHARS);
}

export async function recordFailureStep(state: PipelineState, deps: StepDeps) {
  const key = runKey(state.runId, 'manifest.json');
  const body = await deps.store.get(key);
  const draft: Manifest | undefined = body ? (JSON.parse(body.toString('utf8')) as Manifest) : undefined;
  const now = deps.now().toISOString();
  const manifest: Manifest = {
    ...(draft ?? {
      runId: state.runId, createdAt: now, inputs: [], format: deps.config.logFormat, window: null,
      lines: { read: 0, parsed: 0, rejected: 0, rejectedByReason: {}, samples: [] }, sessions: 0, timings: [], versions: {},
      options: { engine: 'athena' }, warnings: [],
    }),
    status: 'failed',
    finishedAt: now,
    error: { message: failureReason(state.error), step: failedStep(state) },
  };
  await putJson(deps, key, manifest);
  return { manifestKey: key, status: 'failed' as const };
}
