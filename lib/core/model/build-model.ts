/**
 * Step 4: the traffic model. Runs the persona statistics SQL on whichever engine holds the events
 * (DuckDB locally, Athena in AWS) and assembles model.json from the aggregates it returns.
 */
import { DEFAULTS } from '../config';
import { compileDenyList } from '../redact';
import { dialectFor } from '../sql/dialect';
import type { SqlEngine, TrafficModel } from '../types';
import { assembleModel, type CountRow, type ParamRow, type PersonaRow, type ResourceRow, type StateRow, type TransitionRow } from './assemble-model';
import {
  arrivalsSql, hourOfWeekSql, pageTablesSql, paramValuesSql, personaStatsSql, resourcesSql, stateStatsSql, transitionsSql,
  type StatsOptions, type StatsTables,
} from './persona-stats-sql';

export interface BuildModelInput {
  tables: StatsTables;
  personas: { name: string; isBot: boolean }[];
  window: { start: number; end: number };
  productionHosts: string[];
  generatedAt: string;
  options?: Partial<StatsOptions & { paramDenyList: readonly string[] }>;
}

/** The statistics' options from the configuration (config.ts `model`), with `overrides` on top. */
export function statsOptions(overrides: Partial<StatsOptions> = {}): StatsOptions {
  const c = DEFAULTS.model;
  return {
    minStateSupport: c.minStateSupport,
    minStateThinkSamples: c.minStateThinkSamples,
    arrivalBucketSeconds: c.arrivalBucketSeconds,
    paramPoolSize: c.paramPoolSize,
    minResourceShare: c.minResourceShare,
    maxSessionsPerPersona: c.maxSessionsPerPersona,
    ...overrides,
  };
}

export async function buildModel(engine: SqlEngine, input: BuildModelInput): Promise<TrafficModel> {
  const d = dialectFor(engine.dialect);
  const c = DEFAULTS.model;
  const o = statsOptions(input.options);
  const t = input.tables;
  for (const table of pageTablesSql(d, t, o)) await engine.exec(d.createTableAs(table.name, table.sql));
  // Sequential on purpose: one DuckDB connection runs one query at a time anyway.
  const states = await engine.query<StateRow>(stateStatsSql(d, t));
  const transitions = await engine.query<TransitionRow>(transitionsSql(d, t));
  const resources = await engine.query<ResourceRow>(resourcesSql(d, t, o));
  const personaStats = await engine.query<PersonaRow>(personaStatsSql(d, t));
  const arrivals = await engine.query<CountRow>(arrivalsSql(d, t, o, input.window.start));
  const hourOfWeek = await engine.query<CountRow>(hourOfWeekSql(d, t));
  const params = await engine.query<ParamRow>(paramValuesSql(d, t, o));
  return assembleModel({
    generatedAt: input.generatedAt,
    window: input.window,
    bucketSeconds: o.arrivalBucketSeconds,
    productionHosts: input.productionHosts,
    personas: input.personas,
    states, transitions, resources, personaStats, arrivals, hourOfWeek, params,
    minStateThinkSamples: o.minStateThinkSamples,
    paramPoolSize: o.paramPoolSize,
    paramDenyList: compileDenyList(input.options?.paramDenyList ?? c.paramDenyList),
  });
}
