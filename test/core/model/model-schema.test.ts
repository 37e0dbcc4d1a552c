import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { checkModelInvariants, validateModelSchema } from '../../../lib/core/model/validate-model-schema';
import type { TrafficModel } from '../../../lib/core/types';
import { fixtureModel } from '../../fixtures/report/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any: the tests poke at arbitrary paths of model.json, as a hand edit would
type Json = Record<string, any>;

/** The model as a reader of model.json sees it: plain JSON, no TypeScript guarantees. */
function modelJson(): Json {
  return JSON.parse(JSON.stringify(fixtureModel()));
}

function errorsOf(json: unknown): string[] {
  const verdict = validateModelSchema(json);
  return verdict.ok ? [] : verdict.errors;
}

describe('model.json schema', () => {
  it('is a JSON Schema 2020-12 document that names every field DESIGN.md lists as relied on', () => {
    // Given the schema file in the repo
    const schema = JSON.parse(readFileSync(path.join(__dirname, '../../../schemas/model.schema.json'), 'utf8'));
    // Then it declares its draft and requires the contract's fields
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    // (the validator skips this check on every run, for speed: it is made here)
    const meta = new Ajv2020({ strict: true });
    expect(meta.validateSchema(schema)).toBe(true);
    expect(meta.errors ?? null).toBeNull();
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'window', 'personas']));
    expect(schema.$defs.persona.required).toEqual(
      expect.arrayContaining(['name', 'share', 'sessions', 'states', 'entry', 'transitions', 'thinkTime', 'arrivals', 'params']),
    );
  });

  it('accepts a complete model', () => {
    // Given a model written the way the pipeline writes it
    // When it is validated
    const verdict = validateModelSchema(modelJson());
    // Then it passes and its invariants hold
    expect(verdict).toEqual({ ok: true });
    expect(checkModelInvariants(fixtureModel())).toEqual([]);
  });

  it('accepts fields it does not know, because more may be added to model.json', () => {
    // Given a model from a newer writer with extra fields at several levels
    const json = modelJson();
    json['notes'] = 'added later';
    json['personas'][0]['sessionsPerDay'] = 1571;
    json['personas'][0]['arrivals']['minuteCounts'] = [1, 2];
    // When validated, Then it passes
    expect(validateModelSchema(json)).toEqual({ ok: true });
  });

  it('names the missing field and where it is', () => {
    // Given a persona without a think-time p99 and a model without a window
    const json = modelJson();
    delete json['personas'][1]['thinkTime']['p99'];
    delete json['window'];
    // When validated
    const errors = errorsOf(json);
    // Then each problem is one readable line with its path
    expect(errors).toEqual(
      expect.arrayContaining(['model: missing required field "window"', 'personas[1].thinkTime: missing required field "p99"']),
    );
  });

  it.each([
    ['a schema version other than 1', (j: Json) => (j['schemaVersion'] = 2), 'schemaVersion: must be 1'],
    ['an error rate above 1', (j: Json) => (j['personas'][0]['errorRate'] = 1.2), 'personas[0].errorRate: must be <= 1'],
    ['a negative write ratio', (j: Json) => (j['personas'][2]['writeRatio'] = -0.1), 'personas[2].writeRatio: must be >= 0'],
    ['a transition probability above 1', (j: Json) => (j['personas'][0]['transitions']['s1']['s2'] = 3), 'personas[0].transitions.s1.s2: must be <= 1'],
    ['20 quantiles instead of 21', (j: Json) => j['personas'][0]['thinkTime']['quantiles'].pop(), 'personas[0].thinkTime.quantiles: must have at least 21 items'],
    ['an hour-of-week profile of 24 hours', (j: Json) => (j['personas'][1]['arrivals']['hourOfWeek'] = new Array(24).fill(1)), 'personas[1].arrivals.hourOfWeek: must have at least 168 items'],
    ['a non-ISO window start', (j: Json) => (j['window']['start'] = '28/11/2026 10:00'), 'window.start: must be an ISO-8601 date-time such as 2026-11-28T10:00:00.000Z'],
    ['a string where a number belongs', (j: Json) => (j['personas'][0]['share'] = '0.5'), 'personas[0].share: must be number'],
    ['a state named $exit', (j: Json) => (j['personas'][0]['states'][0]['id'] = '$exit'), 'personas[0].states[0].id: "$exit" is reserved for leaving the session and cannot be a state id'],
    ['fractional session counts per bucket', (j: Json) => (j['personas'][0]['arrivals']['counts'][3] = 2.5), 'personas[0].arrivals.counts[3]: must be integer'],
  ])('rejects %s with a message that says what is wrong', (_label, corrupt, expected) => {
    // Given an otherwise valid model with one corruption
    const json = modelJson();
    corrupt(json);
    // When validated, Then the failure names the field and the rule
    expect(errorsOf(json)).toContain(expected);
  });

  it('rejects things that are not a model at all', () => {
    expect(errorsOf(null)).toEqual(['model: must be object']);
    expect(errorsOf([])).toEqual(['model: must be object']);
  });

  it('caps the error list so a broken writer does not flood the terminal', () => {
    // Given 60 personas with empty think times (5 errors each)
    const json = modelJson();
    json['personas'] = Array.from({ length: 60 }, () => ({ ...json['personas'][0], thinkTime: {} }));
    // When validated
    const errors = errorsOf(json);
    // Then the list is cut and says how many more there were
    expect(errors.length).toBe(21);
    expect(errors[20]).toMatch(/^\.\.\. and \d+ more$/);
  });
});

describe('model invariants a schema cannot express', () => {
  it('reports a Markov row that does not sum to 1, an unknown target and a decreasing quantile list', () => {
    // Given a model with three semantic faults
    const model: TrafficModel = fixtureModel();
    const p = model.personas[0]!;
    p.transitions['s2'] = { s3: 0.5, $exit: 0.2 };
    p.transitions['s4'] = { s9: 0.65, $exit: 0.35 };
    p.thinkTime = { ...p.thinkTime, quantiles: [...p.thinkTime.quantiles].reverse() };
    // When checked
    const problems = checkModelInvariants(model);
    // Then each fault is named
    expect(problems).toEqual([
      'personas[0] (casual_browser).transitions.s2: probabilities sum to 0.7000, not 1',
      'personas[0] (casual_browser).transitions.s4: target "s9" is not one of the persona\'s states',
      'personas[0] (casual_browser).thinkTime.quantiles: must not decrease',
    ]);
  });

  it('tolerates probabilities rounded by the writer', () => {
    // Given a row rounded to 4 decimals (sums to 0.9999)
    const model = fixtureModel();
    model.personas[0]!.transitions['s5'] = { s1: 0.3333, $exit: 0.6666 };
    // Then it is sound
    expect(checkModelInvariants(model)).toEqual([]);
  });
});
