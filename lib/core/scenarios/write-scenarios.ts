/**
 * The scenario step: compiles the requested tools from model.json and, with the `bedrock` writer,
 * offers each script to the LLM for enrichment (checked, with the compiled script as fallback).
 * Returns the files for the caller to store under the run folder, and one outcome per tool for
 * the manifest; it writes nothing itself.
 */
import { SCENARIO_FILES, type ScenarioOutcome, type Tool, type TrafficModel } from '../types';
import { ARTILLERY_PROCESSOR_FILE, renderArtilleryProcessor, renderArtilleryYaml } from './compile-artillery';
import { renderK6 } from './compile-k6';
import { renderLocust } from './compile-locust';
import { enrichScenario } from './enrich-scenario';
import { resolveScenarioOptions, type ScenarioOptions } from './options';
import { buildPlan, type ScenarioPlan } from './plan';
import type { LlmClient, PythonSyntaxChecker } from './ports';

export interface ScenarioFile {
  /** Path relative to the run folder, e.g. `scenarios/k6/script.js`. */
  readonly path: string;
  readonly content: string;
}

export interface WriteScenariosInput {
  readonly model: TrafficModel;
  /** Overrides of the config.ts `scenarios` defaults. */
  readonly options?: Partial<ScenarioOptions>;
  /** Present to enrich with an LLM (the `bedrock` writer); absent for the deterministic template. */
  readonly enrich?: { readonly llm: LlmClient; readonly python: PythonSyntaxChecker };
}

export interface WrittenScenarios {
  readonly files: ScenarioFile[];
  readonly outcomes: ScenarioOutcome[];
  /** The plan the scripts were rendered from (mix, curve, left-out writes), for reports. */
  readonly plan: ScenarioPlan;
}

const RENDER: Readonly<Record<Tool, (plan: ScenarioPlan) => string>> = {
  k6: renderK6,
  locust: renderLocust,
  artillery: renderArtilleryYaml,
};

export async function writeScenarios(input: WriteScenariosInput): Promise<WrittenScenarios> {
  const options = resolveScenarioOptions(input.options);
  const plan = buildPlan(input.model, options);
  const files: ScenarioFile[] = [];
  const outcomes: ScenarioOutcome[] = [];
  for (const tool of options.tools) {
    const render = RENDER[tool];
    if (input.enrich) {
      const { script, outcome } = await enrichScenario({ tool, plan, render, ...input.enrich });
      files.push({ path: SCENARIO_FILES[tool], content: script });
      outcomes.push(outcome);
    } else {
      files.push({ path: SCENARIO_FILES[tool], content: render(plan) });
      outcomes.push({ tool, file: SCENARIO_FILES[tool], writer: 'template' });
    }
    // The processor is code the LLM never rewrites: it carries the parameter pools.
    if (tool === 'artillery') files.push({ path: ARTILLERY_PROCESSOR_FILE, content: renderArtilleryProcessor(plan) });
  }
  return { files, outcomes, plan };
}
