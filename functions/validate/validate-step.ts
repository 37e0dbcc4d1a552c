/** validate: the model against the production figures the statistics query measured (validation.json). */
import { runKey } from '../../lib/core/api/runs';
import type { TrafficModel } from '../../lib/core/types';
import type { TrafficFigures } from '../../lib/core/validation/figures';
import { validateModel } from '../../lib/core/validation/validate-model';
import { putJson, readRunJson, readWorkJson } from '../shared/step-io';
import type { PipelineState, StepDeps } from '../shared/step-handler';

export async function validateStep(state: PipelineState, deps: StepDeps) {
  const model = await readRunJson<TrafficModel>(deps, state, 'model.json');
  const production = await readWorkJson<TrafficFigures>(deps, state, 'figures.json');
  const report = validateModel({ model, production, clock: { now: deps.now } });
  await putJson(deps, runKey(state.runId, 'validation.json'), report);
  return { pass: report.pass, checks: report.checks.length, failed: report.checks.filter((c) => !c.pass).length };
}
