/**
 * The OpenAPI 3.1 document of the Loadprint API, served at /openapi.json. Written by hand next to
 * the routes (not generated from them) so the test that compares the two can catch a route that
 * is served but undocumented, or documented but not served.
 */
import { DEFAULTS } from '../config';
import { READING_FLAG_HELP, READING_FLAG_NAMES } from '../ingest/reading-options';
import { LOG_FORMATS, TOOLS } from '../types';
import { RUN_ID_PATTERN, SCENARIO_FILE_PATTERN } from './ids';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

/** Responses every GET of a stored entity can give. */
const entityErrors = {
  '304': { description: 'The client already holds this version (`If-None-Match` matched the ETag).' },
  '400': errorRef('Invalid run id or path (including traversal attempts).'),
  '404': errorRef('No such run, no such file in the run yet, or `latest` names no run.'),
  '500': errorRef('Internal error; details are logged, never returned.'),
};

const etagHeader = {
  ETag: { description: 'Strong validator: a hash of the body.', schema: { type: 'string' } },
};
const runHeaders = {
  ...etagHeader,
  'Loadprint-Run-Id': { description: 'The run served (what `latest` resolved to).', schema: { type: 'string' } },
  'Content-Location': { description: 'With `latest`: the same resource under its run id.', schema: { type: 'string' } },
};

const runIdParam = {
  name: 'runId',
  in: 'path',
  required: true,
  description: 'A run id, or `latest` for the newest run whose manifest says succeeded.',
  schema: { type: 'string', pattern: RUN_ID_PATTERN.source },
};
const toolParam = { name: 'tool', in: 'path', required: true, schema: { type: 'string', enum: [...TOOLS] } };
const ifNoneMatch = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'ETag(s) the client holds; a match answers 304 with no body.',
  schema: { type: 'string' },
};

function getEntity(summary: string, contentType: string, schema: Json, extraParams: Json[] = []): Json {
  return {
    get: {
      summary,
      parameters: [runIdParam, ...extraParams, ifNoneMatch],
      responses: {
        '200': { description: summary, headers: runHeaders, content: { [contentType]: { schema } } },
        ...entityErrors,
      },
    },
  };
}

const distribution = {
  type: 'object',
  required: ['p10', 'p50', 'p90', 'p99'],
  properties: {
    mean: { type: 'number' },
    p10: { type: 'number' },
    p50: { type: 'number' },
    p90: { type: 'number' },
    p99: { type: 'number' },
    quantiles: { type: 'array', items: { type: 'number' } },
  },
};

export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loadprint API',
      version: '1',
      description:
        'Runs of Loadprint (logs -> personas -> traffic model -> k6/Locust/Artillery scenarios -> validation): list them, fetch their files, start new ones. Errors are `{"error": {"code", "message"}}`.',
    },
    paths: {
      '/runs': {
        get: {
          summary: 'List runs, newest first',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: DEFAULTS.api.maxPageSize, default: DEFAULTS.api.pageSize } },
            { name: 'cursor', in: 'query', required: false, description: '`nextCursor` of the previous page.', schema: { type: 'string' } },
            ifNoneMatch,
          ],
          responses: {
            '200': { description: 'A page of runs.', headers: etagHeader, content: { 'application/json': { schema: ref('RunsPage') } } },
            '304': entityErrors['304'],
            '400': errorRef('Invalid limit or cursor.'),
            '500': entityErrors['500'],
          },
        },
        post: {
          summary: 'Start a run',
          description:
            'Locally `inputs` are paths on the server; in AWS, S3 prefixes or `s3://bucket/prefix` URIs. `options` say how a ' +
            'local run reads its logs, as the flags of `loadprint run` do (the AWS pipeline reads ALB and CloudFront logs as AWS writes them).',
          requestBody: { required: true, content: { 'application/json': { schema: ref('StartRun') } } },
          responses: {
            '202': {
              description: 'The run was accepted; poll `statusUrl`.',
              headers: { Location: { description: 'The status URL.', schema: { type: 'string' } } },
              content: { 'application/json': { schema: ref('RunAccepted') } },
            },
            '400': errorRef('The body is not `{"inputs": [...], "options": {...}}`, or the inputs or options cannot be used (`invalid_inputs`, `invalid_options`).'),
            '413': errorRef('The body is too large.'),
            '415': errorRef('The body is not JSON.'),
            '429': errorRef('Too many runs in progress; retry after `Retry-After` seconds.'),
            '500': entityErrors['500'],
          },
        },
      },
      '/runs/{runId}': getEntity('The run manifest (or, before the pipeline writes it, the run request)', 'application/json', {
        oneOf: [ref('Manifest'), ref('RunRequest')],
      }),
      '/runs/{runId}/model': getEntity('The traffic model (model.json)', 'application/json', ref('Model')),
      '/runs/{runId}/personas': getEntity('The personas (personas.json)', 'application/json', ref('Personas')),
      '/runs/{runId}/validation': getEntity('Model-vs-production validation (validation.json)', 'application/json', ref('Validation')),
      '/runs/{runId}/report': getEntity('The self-contained HTML report', 'text/html', { type: 'string' }),
      '/runs/{runId}/scenarios/{tool}': {
        get: {
          summary: 'The runnable scenario for one tool (k6 script.js, Locust locustfile.py, Artillery scenario.yml)',
          parameters: [runIdParam, toolParam, ifNoneMatch],
          responses: {
            '200': {
              description: 'The scenario source; it reads BASE_URL and THINK_SCALE from the environment.',
              headers: runHeaders,
              content: {
                'application/javascript': { schema: { type: 'string' } },
                'text/x-python': { schema: { type: 'string' } },
                'application/yaml': { schema: { type: 'string' } },
              },
            },
            ...entityErrors,
            '404': errorRef('Unknown tool, no such run, or no scenario for this tool.'),
          },
        },
      },
      '/runs/{runId}/scenarios/{tool}/{file}': {
        get: {
          summary: "A file from a tool's scenario folder (e.g. Artillery's processor.js)",
          parameters: [
            runIdParam,
            toolParam,
            { name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: SCENARIO_FILE_PATTERN.source } },
            ifNoneMatch,
          ],
          responses: {
            '200': {
              description: 'The file, typed by extension.',
              headers: runHeaders,
              content: {
                'application/javascript': { schema: { type: 'string' } },
                'text/x-python': { schema: { type: 'string' } },
                'application/yaml': { schema: { type: 'string' } },
                'application/json': {},
                'text/csv': { schema: { type: 'string' } },
                'application/octet-stream': { schema: { type: 'string' } },
              },
            },
            ...entityErrors,
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          parameters: [ifNoneMatch],
          responses: {
            '200': { description: 'OpenAPI 3.1 document.', headers: etagHeader, content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } },
            '304': entityErrors['304'],
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          additionalProperties: false,
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              additionalProperties: false,
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
        RunSummary: {
          type: 'object',
          required: ['runId', 'status', 'createdAt', 'finishedAt', 'sessions'],
          properties: {
            runId: { type: 'string', pattern: RUN_ID_PATTERN.source },
            status: { enum: ['running', 'succeeded', 'failed', 'pending'] },
            createdAt: { type: ['string', 'null'] },
            finishedAt: { type: ['string', 'null'] },
            sessions: { type: ['integer', 'null'] },
          },
        },
        RunsPage: {
          type: 'object',
          required: ['runs', 'nextCursor'],
          properties: { runs: { type: 'array', items: ref('RunSummary') }, nextCursor: { type: ['string', 'null'] } },
        },
        StartRun: {
          type: 'object',
          required: ['inputs'],
          additionalProperties: false,
          properties: {
            inputs: {
              type: 'array',
              minItems: 1,
              maxItems: DEFAULTS.api.maxInputs,
              items: { type: 'string', minLength: 1, maxLength: DEFAULTS.api.maxInputLength },
            },
            options: ref('ReadingOptions'),
          },
        },
        ReadingOptions: {
          type: 'object',
          description: 'How the run reads its logs: the flags of `loadprint run`, with the same values and defaults.',
          additionalProperties: false,
          properties: Object.fromEntries(
            READING_FLAG_NAMES.map((name) => [name, { type: 'string', minLength: 1, maxLength: DEFAULTS.api.maxOptionLength, description: READING_FLAG_HELP[name] }]),
          ),
        },
        RunAccepted: {
          type: 'object',
          required: ['runId', 'status', 'statusUrl'],
          properties: {
            runId: { type: 'string', pattern: RUN_ID_PATTERN.source },
            status: { const: 'pending' },
            statusUrl: { type: 'string' },
          },
        },
        RunRequest: {
          type: 'object',
          required: ['runId', 'status', 'requestedAt', 'inputs'],
          properties: {
            runId: { type: 'string' },
            status: { enum: ['pending', 'failed', 'rejected'] },
            requestedAt: { type: 'string' },
            inputs: { type: 'array', items: { type: 'string' } },
            options: ref('ReadingOptions'),
            error: { type: 'object', properties: { message: { type: 'string' } } },
          },
        },
        Manifest: {
          type: 'object',
          required: ['runId', 'status', 'createdAt', 'inputs', 'lines'],
          properties: {
            runId: { type: 'string' },
            status: { enum: ['running', 'succeeded', 'failed'] },
            createdAt: { type: 'string' },
            finishedAt: { type: 'string' },
            format: { enum: [...LOG_FORMATS] },
            inputs: { type: 'array', items: { type: 'object', required: ['path'] } },
            lines: {
              type: 'object',
              required: ['read', 'parsed', 'rejected'],
              properties: {
                read: { type: 'integer' },
                parsed: { type: 'integer' },
                rejected: { type: 'integer' },
                rejectedByReason: { type: 'object', additionalProperties: { type: 'integer' } },
                samples: { type: 'array' },
              },
            },
            sessions: { type: 'integer' },
            timings: { type: 'array' },
            versions: { type: 'object' },
          },
        },
        Model: {
          type: 'object',
          required: ['schemaVersion', 'window', 'personas'],
          properties: {
            schemaVersion: { const: 1 },
            window: { type: 'object', required: ['start', 'end'] },
            personas: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'share', 'states', 'entry', 'transitions', 'thinkTime', 'arrivals'],
                properties: {
                  name: { type: 'string' },
                  share: { type: 'number' },
                  states: { type: 'array', items: { type: 'object', required: ['id', 'method', 'path'] } },
                  entry: { type: 'object', additionalProperties: { type: 'number' } },
                  transitions: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'number' } } },
                  thinkTime: distribution,
                  arrivals: { type: 'object', required: ['bucketSeconds', 'start', 'counts'] },
                },
              },
            },
          },
        },
        Personas: {
          type: 'object',
          required: ['personas'],
          properties: {
            algorithm: { type: 'string' },
            k: { type: 'integer' },
            personas: { type: 'array', items: { type: 'object', required: ['name', 'sessions', 'share'] } },
          },
        },
        Validation: {
          type: 'object',
          required: ['pass', 'checks'],
          properties: {
            kind: { enum: ['model', 'closed-loop'] },
            pass: { type: 'boolean' },
            checks: { type: 'array', items: { type: 'object', required: ['figure', 'metric', 'value', 'tolerance', 'pass'] } },
          },
        },
      },
    },
  };
}
