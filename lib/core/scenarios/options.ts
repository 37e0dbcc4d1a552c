/**
 * Options of the scenario writers, in one typed object, resolved from config.ts defaults plus
 * whatever the caller (CLI flags, API request) overrides. Validation lives here so every compiler
 * can trust its input.
 */
import { DEFAULTS } from '../config';
import { OptionError } from '../errors';
import { TOOLS, type Tool } from '../types';

export type WritesMode = 'on' | 'off';

export interface ScenarioOptions {
  /** Tools to write. @default all three */
  readonly tools: readonly Tool[];
  /** Length of the generated test; the whole arrival curve is compressed into it. @default 600 */
  readonly durationSeconds: number;
  /** Multiplies every arrival rate (2 = twice production's rate). @default 1 */
  readonly scale: number;
  /** Persona names to keep; empty keeps all. */
  readonly personas: readonly string[];
  /** Drop personas flagged as bots. @default false */
  readonly excludeBots: boolean;
  /** `off` drops every write and renormalises the chains around them. @default 'on' */
  readonly writes: WritesMode;
  /**
   * Regular expression (case-insensitive) over `METHOD /template`: dangerous writes matching it
   * are sent; the others are left out. @default undefined (no dangerous write is sent)
   */
  readonly allowWrites?: string;
  /** Case-insensitive substrings of `METHOD /template` that make a write dangerous. */
  readonly dangerousTemplates: readonly string[];
}

const D = DEFAULTS.scenarios;

export function resolveScenarioOptions(overrides: Partial<ScenarioOptions> = {}): ScenarioOptions {
  const options: ScenarioOptions = {
    tools: overrides.tools ?? [...D.tools],
    durationSeconds: overrides.durationSeconds ?? D.durationSeconds,
    scale: overrides.scale ?? D.scale,
    personas: overrides.personas ?? [],
    excludeBots: overrides.excludeBots ?? false,
    writes: overrides.writes ?? 'on',
    dangerousTemplates: overrides.dangerousTemplates ?? [...D.dangerousTemplates],
    ...(overrides.allowWrites !== undefined ? { allowWrites: overrides.allowWrites } : {}),
  };
  validate(options);
  return options;
}

function validate(o: ScenarioOptions): void {
  if (o.tools.length === 0) throw new OptionError('--tools is empty: name at least one of k6, locust, artillery');
  for (const t of o.tools) {
    if (!TOOLS.includes(t)) throw new OptionError(`--tools: unknown tool "${String(t)}"; use k6, locust or artillery`);
  }
  if (!Number.isFinite(o.durationSeconds) || o.durationSeconds < D.minStageSeconds) {
    throw new OptionError(`--duration must be at least ${D.minStageSeconds}s (got ${o.durationSeconds})`);
  }
  if (!Number.isFinite(o.scale) || o.scale <= 0) {
    throw new OptionError(`--scale must be a positive number such as 1 or 2 (got ${o.scale})`);
  }
  if (o.writes !== 'on' && o.writes !== 'off') {
    throw new OptionError(`--writes must be "on" or "off" (got "${String(o.writes)}")`);
  }
  if (o.allowWrites !== undefined) compileAllowWrites(o.allowWrites);
}

/** The `--allow-writes` pattern as a RegExp; a malformed pattern is the user's to fix. */
export function compileAllowWrites(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (e: unknown) {
    throw new OptionError(
      `--allow-writes "${pattern}" is not a valid regular expression (${e instanceof Error ? e.message : String(e)}); ` +
        'use e.g. "/cart|/orders"',
    );
  }
}
