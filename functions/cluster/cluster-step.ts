/**
 * cluster: reads the fit sample Athena returned, fits the personas (the local fitPersonas), keeps the
 * fit in work/ and renders the persona statistics query (same chain + assignment + every statistic).
 */
import { DEFAULTS } from '../../lib/core/config';
import { fitPersonas, type PersonaFit } from '../../lib/core/personas';
import { decodeFeatureSample, statisticsQuerySql } from '../../lib/core/staged-run/staged-queries';
import { athenaRows, putJson, readWorkJson } from '../shared/step-io';
import { workKey, type PipelineState, type StepDeps } from '../shared/step-handler';

export interface FitRecord {
  fit: PersonaFit;
  window: { start: number; end: number };
  sessions: number;
  requests: number;
}

export async function clusterStep(state: PipelineState, deps: StepDeps) {
  const rows = await athenaRows(deps, state, 'sessionFeatures');
  const features = decodeFeatureSample(rows.map((r) => r['payload'] ?? '{}'));
  const fit = fitPersonas(features.sample, { algorithm: DEFAULTS.personas.algorithm, k: 'auto' });
  const record: FitRecord = { fit, window: features.window, sessions: features.sessions, requests: features.requests };
  await putJson(deps, workKey(state.runId, 'fit.json'), record);
  const { chain } = await readWorkJson<{ chain: string[] }>(deps, state, 'chain.json');
  return {
    queries: { personaStatistics: statisticsQuerySql(deps.dialect, chain, { fit, window: features.window }) },
    personas: fit.personas.length,
    sampleRows: features.rows,
    sessions: features.sessions,
    requests: features.requests,
  };
}
