/**
 * build-model: decodes the persona statistics result with the local runners (buildModel,
 * productionFigures) and writes personas.json, model.json and sessions.csv to the run, and the
 * production figures to work/ for validate. A model that breaks its schema is never written.
 */
import { runKey } from '../../lib/core/api/runs';
import { checkModelInvariants, validateModelSchema } from '../../lib/core/model/validate-model-schema';
import { decodeStatistics } from '../../lib/core/staged-run/staged-queries';
import type { FitRecord } from '../cluster/cluster-step';
import { athenaRows, putJson, readWorkJson, taggedRows } from '../shared/step-io';
import { workKey, type PipelineState, type StepDeps } from '../shared/step-handler';

export async function buildModelStep(state: PipelineState, deps: StepDeps) {
  const { fit, window } = await readWorkJson<FitRecord>(deps, state, 'fit.json');
  const rows = taggedRows(await athenaRows(deps, state, 'personaStatistics'));
  const stats = await decodeStatistics(deps.dialect, { fit, window }, rows, deps.now().toISOString());
  const schema = validateModelSchema(JSON.parse(JSON.stringify(stats.model)));
  const problems = [...(schema.ok ? [] : schema.errors), ...checkModelInvariants(stats.model)];
  if (problems.length > 0) throw Object.assign(new Error(`model.json would be invalid: ${problems.slice(0, 3).join('; ')}`), { name: 'ModelError' });
  await putJson(deps, runKey(state.runId, 'personas.json'), stats.personas);
  await putJson(deps, runKey(state.runId, 'model.json'), stats.model);
  await deps.store.put(runKey(state.runId, 'sessions.csv'), stats.sessionsCsv, 'text/csv; charset=utf-8');
  await putJson(deps, workKey(state.runId, 'figures.json'), stats.figures);
  return { sessions: stats.sessions, personas: stats.personas.personas.length, states: stats.model.personas.reduce((n, p) => n + p.states.length, 0) };
}
