/**
 * Checks a model.json document against schemas/model.schema.json (ajv, JSON Schema 2020-12) and, for
 * what a schema cannot say, against the model's invariants (rows sum to 1, transitions name known
 * states, quantiles ascend). Both answer with readable lines such as
 * `personas[0].thinkTime: missing required field "p99"`, ready for a CLI error or a test message.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import schema from '../../../schemas/model.schema.json';
import { DEFAULTS } from '../config';
import { EXIT_STATE } from '../types';
import type { Distribution, TrafficModel } from '../types';

export type SchemaVerdict = { ok: true } | { ok: false; errors: string[] };

/** Strict ISO-8601 UTC with an explicit `Z` or offset, as every Loadprint writer emits. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // allErrors: a user fixing a hand-edited model wants every problem at once, not one per attempt.
    // validateSchema off: checking the schema against the 2020-12 meta-schema was half of every run's
    // compile (~70 ms); the schema is the repo's own, and a test checks it against the meta-schema.
    const ajv = new Ajv2020({ allErrors: true, strict: true, validateSchema: false });
    ajv.addFormat('date-time', {
      type: 'string',
      validate: (s: string) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)),
    });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** `/personas/0/thinkTime` -> `personas[0].thinkTime`; the root is `model`. */
function readablePath(pointer: string): string {
  if (pointer === '') return 'model';
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function describe(e: ErrorObject): string {
  const at = readablePath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}: missing required field "${String(p['missingProperty'])}"`;
    case 'const':
      return `${at}: must be ${JSON.stringify(p['allowedValue'])}`;
    case 'type':
      return `${at}: must be ${String(p['type'])}`;
    case 'format':
      return `${at}: must be an ISO-8601 ${String(p['format'])} such as 2026-11-28T10:00:00.000Z`;
    case 'minItems':
    case 'maxItems':
      return `${at}: must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p['limit'])} items`;
    case 'minimum':
    case 'maximum':
      return `${at}: must be ${e.keyword === 'minimum' ? '>=' : '<='} ${String(p['limit'])}`;
    case 'propertyNames':
      return `${at}: key "${String(p['propertyName'])}" is not a valid state id (must be non-empty)`;
    case 'not':
      return `${at}: "${EXIT_STATE}" is reserved for leaving the session and cannot be a state id`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

/**
 * Validates an unknown JSON value as model.json. Errors are capped (a broken writer can produce
 * thousands) and de-duplicated; the last line says how many more there were.
 */
export function validateModelSchema(json: unknown): SchemaVerdict {
  const validate = validator();
  if (validate(json)) return { ok: true };
  // A bad key is reported twice (the key's own failure, then `propertyNames`): keep the second, clearer one.
  const errors = (validate.errors ?? []).filter((e) => e.propertyName === undefined || e.keyword === 'propertyNames');
  const cleaned = [...new Set(errors.map(describe))];
  const max = DEFAULTS.modelSchema.maxReportedErrors;
  if (cleaned.length <= max) return { ok: false, errors: cleaned };
  return { ok: false, errors: [...cleaned.slice(0, max), `... and ${cleaned.length - max} more`] };
}

function checkDistribution(where: string, d: Distribution, out: string[]): void {
  const ascending = (xs: number[]): boolean => xs.every((x, i) => i === 0 || x >= (xs[i - 1] ?? x));
  if (!ascending(d.quantiles)) out.push(`${where}.quantiles: must not decrease`);
  if (!ascending([d.p10, d.p50, d.p90, d.p99])) out.push(`${where}: p10 <= p50 <= p90 <= p99 does not hold`);
}

/**
 * Invariants of a schema-valid model that JSON Schema cannot express: every Markov row and the entry
 * row sum to 1 (within `DEFAULTS.modelSchema.probabilitySumTolerance`), rows and entries name known
 * states, and distributions are monotone. Returns the violations, empty when the model is sound.
 */
export function checkModelInvariants(model: TrafficModel): string[] {
  const out: string[] = [];
  const tol = DEFAULTS.modelSchema.probabilitySumTolerance;
  const sum = (row: Record<string, number>): number => Object.values(row).reduce((a, b) => a + b, 0);
  model.personas.forEach((p, i) => {
    const at = `personas[${i}] (${p.name})`;
    const ids = new Set(p.states.map((s) => s.id));
    if (ids.size !== p.states.length) out.push(`${at}.states: state ids must be unique`);
    const entrySum = sum(p.entry);
    if (Math.abs(entrySum - 1) > tol) out.push(`${at}.entry: probabilities sum to ${entrySum.toFixed(4)}, not 1`);
    for (const id of Object.keys(p.entry)) {
      if (!ids.has(id)) out.push(`${at}.entry: "${id}" is not one of the persona's states`);
    }
    for (const [from, row] of Object.entries(p.transitions)) {
      if (!ids.has(from)) out.push(`${at}.transitions: row "${from}" is not one of the persona's states`);
      const rowSum = sum(row);
      if (Math.abs(rowSum - 1) > tol) {
        out.push(`${at}.transitions.${from}: probabilities sum to ${rowSum.toFixed(4)}, not 1`);
      }
      for (const to of Object.keys(row)) {
        if (to !== EXIT_STATE && !ids.has(to)) {
          out.push(`${at}.transitions.${from}: target "${to}" is not one of the persona's states`);
        }
      }
    }
    checkDistribution(`${at}.thinkTime`, p.thinkTime, out);
    checkDistribution(`${at}.requestsPerSession`, p.requestsPerSession, out);
    checkDistribution(`${at}.durationSeconds`, p.durationSeconds, out);
  });
  return out;
}
