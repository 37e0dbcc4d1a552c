/**
 * write-scenarios: the deterministic compiler always; Bedrock enrichment (validated, with the
 * compiled script kept on rejection) when BEDROCK_MODEL_ID is set. Bedrock throttling that outlasts
 * the client's own backoff surfaces as ThrottlingException for the workflow's retry.
 */
import { runKey } from '../../lib/core/api/runs';
import type { LlmClient, PythonSyntaxChecker } from '../../lib/core/scenarios/ports';
import { writeScenarios } from '../../lib/core/scenarios/write-scenarios';
import type { TrafficModel } from '../../lib/core/types';
import { readRunJson } from '../shared/step-io';
import type { PipelineState, StepDeps } from '../shared/step-handler';

export interface ScenarioPorts {
  readonly llm?: LlmClient;
  readonly python?: PythonSyntaxChecker;
}

export async function writeScenariosStep(state: PipelineState, deps: StepDeps, ports: ScenarioPorts) {
  const model = await readRunJson<TrafficModel>(deps, state, 'model.json');
  const enrich = ports.llm && ports.python ? { llm: ports.llm, python: ports.python } : undefined;
  const written = await writeScenarios({ model, ...(enrich ? { enrich } : {}) });
  for (const f of written.files) await deps.store.put(runKey(state.runId, f.path), f.content, 'text/plain; charset=utf-8');
  for (const o of written.outcomes) if (o.fallbackReason) deps.logger.warn('enrichment_rejected', { tool: o.tool, reason: o.fallbackReason });
  return { outcomes: written.outcomes };
}
