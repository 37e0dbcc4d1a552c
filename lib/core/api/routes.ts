/**
 * The API's routes over a ResultsStore and a RunStarter: one small function per route, each taking
 * an API Gateway event and returning a result or throwing an ApiError. The same list feeds the
 * middy router (handler.ts) and is checked against the OpenAPI document in tests.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULTS } from '../config';
import { OptionError } from '../errors';
import { parseReadingOptions, READING_FLAG_NAMES, type ReadingFlags } from '../ingest/reading-options';
import type { Clock, Logger, ResultsStore } from '../types';
import { SCENARIO_FILES } from '../types';
import { formatRunId, isRunId, isTool, LATEST, SCENARIO_FILE_PATTERN } from './ids';
import {
  ApiError,
  basePath,
  CONTENT_TYPES,
  contentTypeFor,
  entityResponse,
  header,
  jsonResponse,
  type ApiGatewayEvent,
  type ApiGatewayResult,
} from './http';
import { buildOpenApiDocument } from './openapi';
import { RunRejectedError, RunsBusyError, type RunStarter } from './run-starter';
import {
  decodeCursor,
  findLatestRunId,
  pageOfRuns,
  readManifest,
  readRequest,
  requestKey,
  runKey,
  saveRequest,
  type RunRequestRecord,
} from './runs';

/** Logger with an error level: unexpected failures are logged in full here and never sent out. */
export interface ApiLogger extends Logger {
  error(message: string, fields?: Record<string, unknown>): void;
}

export type ApiLimits = Pick<typeof DEFAULTS.api, 'pageSize' | 'maxPageSize' | 'maxBodyBytes' | 'maxInputs' | 'maxInputLength' | 'maxOptionLength'>;

export interface ApiDeps {
  readonly store: ResultsStore;
  readonly runStarter: RunStarter;
  readonly clock: Clock;
  readonly logger: ApiLogger;
  /** New run ids; defaults to `formatRunId(clock.now(), 6 random hex digits)`. */
  readonly newRunId?: () => string;
  /** @default DEFAULTS.api */
  readonly limits?: ApiLimits;
}

export type HttpMethod = 'GET' | 'POST';

export interface ApiRoute {
  readonly method: HttpMethod;
  /** OpenAPI-style template, e.g. `/runs/{runId}/model`. */
  readonly path: string;
  readonly handler: (event: ApiGatewayEvent) => Promise<ApiGatewayResult>;
}

/** The run files served as they are, by route suffix. sessions.csv is deliberately absent: it holds PII. */
const RUN_FILES = {
  model: { file: 'model.json', type: CONTENT_TYPES.json },
  personas: { file: 'personas.json', type: CONTENT_TYPES.json },
  validation: { file: 'validation.json', type: CONTENT_TYPES.json },
  report: { file: 'report.html', type: CONTENT_TYPES.html },
} as const;

const param = (event: ApiGatewayEvent, name: string): string => event.pathParameters?.[name] ?? '';

export function createRoutes(deps: ApiDeps): ApiRoute[] {
  const { store, clock } = deps;
  const limits = deps.limits ?? DEFAULTS.api;
  const newRunId = deps.newRunId ?? (() => formatRunId(clock.now(), randomBytes(3).toString('hex')));

  /** Resolves `latest` and checks the id; the store is never reached with an invalid one. */
  async function resolveRun(event: ApiGatewayEvent): Promise<{ runId: string; aliased: boolean }> {
    const requested = param(event, 'runId');
    if (requested === LATEST) {
      const runId = await findLatestRunId(store);
      if (!runId) throw new ApiError(404, 'no_successful_run', 'No run has succeeded yet, so `latest` names nothing.');
      return { runId, aliased: true };
    }
    if (!isRunId(requested)) {
      throw new ApiError(400, 'invalid_run_id', 'Run ids are 1-100 letters, digits, `_` or `-`, starting with a letter or digit.');
    }
    return { runId: requested, aliased: false };
  }

  /** Headers that tell a client which run `latest` stood for. */
  function aliasHeaders(event: ApiGatewayEvent, run: { runId: string; aliased: boolean }, suffix: string) {
    const headers: Record<string, string> = { 'Loadprint-Run-Id': run.runId };
    if (run.aliased) headers['Content-Location'] = `${basePath(event)}/runs/${run.runId}${suffix}`;
    return headers;
  }

  /** 404 that says whether the run is missing or only this file (a run still in progress). */
  async function missingFile(runId: string, file: string): Promise<ApiError> {
    const manifest = await readManifest(store, runId);
    const status = manifest?.status ?? (await readRequest(store, runId))?.status;
    if (!status) return new ApiError(404, 'run_not_found', `No run "${runId}" in this results root.`);
    return new ApiError(404, 'file_not_found', `Run "${runId}" has no ${file} (run status: ${status}).`);
  }

  async function serveRunFile(
    event: ApiGatewayEvent,
    file: string,
    contentType: string,
    suffix: string,
    extra: Record<string, string> = {},
  ): Promise<ApiGatewayResult> {
    const run = await resolveRun(event);
    const body = await store.get(runKey(run.runId, file));
    if (body === undefined) throw await missingFile(run.runId, file);
    return entityResponse(event, body, contentType, { ...aliasHeaders(event, run, suffix), ...extra });
  }

  const fileRoute = (key: keyof typeof RUN_FILES): ApiRoute => ({
    method: 'GET',
    path: `/runs/{runId}/${key}`,
    handler: (event) => serveRunFile(event, RUN_FILES[key].file, RUN_FILES[key].type, `/${key}`),
  });

  function parseLimit(event: ApiGatewayEvent): number {
    const raw = event.queryStringParameters?.['limit'];
    if (raw === undefined) return limits.pageSize;
    const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= limits.maxPageSize)) {
      throw new ApiError(400, 'invalid_limit', `limit must be a whole number from 1 to ${limits.maxPageSize}.`);
    }
    return n;
  }

  function parseCursor(event: ApiGatewayEvent): string | undefined {
    const raw = event.queryStringParameters?.['cursor'];
    if (raw === undefined) return undefined;
    const after = decodeCursor(raw);
    if (after === undefined) throw new ApiError(400, 'invalid_cursor', 'cursor must be a nextCursor value from a previous page.');
    return after;
  }

  function parseStartBody(event: ApiGatewayEvent): { inputs: string[]; options?: Partial<ReadingFlags> } {
    const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    if (Buffer.byteLength(raw) > limits.maxBodyBytes) {
      throw new ApiError(413, 'body_too_large', `The request body is over ${limits.maxBodyBytes} bytes.`);
    }
    const type = header(event, 'Content-Type');
    if (type !== undefined && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type.trim())) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json: {"inputs": [...]}.');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new ApiError(400, 'invalid_json', 'The body is not JSON; expected {"inputs": ["<path or S3 prefix>", ...]}.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'invalid_body', 'Expected a JSON object: {"inputs": ["<path or S3 prefix>", ...]}.');
    }
    const unknown = Object.keys(body).filter((k) => k !== 'inputs' && k !== 'options');
    if (unknown.length > 0) {
      throw new ApiError(400, 'invalid_body', `Unknown field(s) ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; only "inputs" and "options" are accepted.`);
    }
    const inputs = (body as { inputs?: unknown }).inputs;
    const ok =
      Array.isArray(inputs) &&
      inputs.length >= 1 &&
      inputs.length <= limits.maxInputs &&
      inputs.every(
        // eslint-disable-next-line no-control-regex -- control characters never belong in a path or key
        (i) => typeof i === 'string' && i.trim() !== '' && i.length <= limits.maxInputLength && !/[\u0000-\u001f]/.test(i),
      );
    if (!ok) {
      throw new ApiError(
        400,
        'invalid_inputs',
        `"inputs" must list 1 to ${limits.maxInputs} non-empty paths or S3 prefixes (each at most ${limits.maxInputLength} characters).`,
      );
    }
    const options = (body as { options?: unknown }).options;
    return { inputs: inputs as string[], ...(options !== undefined ? { options: parseStartOptions(options) } : {}) };
  }

  /**
   * `options`: how the run reads its logs, as `loadprint run` takes it (format, sessionGap,
   * sessionCookie, columns, logFormat), each a string. Checked now with the CLI's own parser, so a bad
   * value is a 400 naming it, not a run that fails later.
   */
  function parseStartOptions(options: unknown): Partial<ReadingFlags> {
    const accepted = `"options" takes ${READING_FLAG_NAMES.join(', ')}, each a string (as the flags of loadprint run)`;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ApiError(400, 'invalid_options', `${accepted}.`);
    const names = Object.keys(options);
    const unknown = names.filter((k) => !(READING_FLAG_NAMES as readonly string[]).includes(k));
    if (unknown.length > 0) throw new ApiError(400, 'invalid_options', `Unknown option(s) ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; ${accepted}.`);
    const values = Object.values(options) as unknown[];
    // eslint-disable-next-line no-control-regex -- control characters never belong in an option (a tab may separate a layout's fields)
    if (!values.every((v) => typeof v === 'string' && v.trim() !== '' && v.length <= limits.maxOptionLength && !/[\u0000-\u0008\u000a-\u001f]/.test(v))) {
      throw new ApiError(400, 'invalid_options', `${accepted}: non-empty, at most ${limits.maxOptionLength} characters.`);
    }
    const flags = options as Partial<ReadingFlags>;
    try {
      parseReadingOptions(flags);
    } catch (e: unknown) {
      if (e instanceof OptionError) throw new ApiError(400, 'invalid_options', `options: ${e.message}`);
      throw e;
    }
    return flags;
  }

  async function startRun(event: ApiGatewayEvent): Promise<ApiGatewayResult> {
    const { inputs, options } = parseStartBody(event);
    const runId = newRunId();
    const record: RunRequestRecord = { runId, status: 'pending', requestedAt: clock.now().toISOString(), inputs, ...(options ? { options } : {}) };
    const save = (r: RunRequestRecord) => saveRequest(store, r);
    // Recorded before starting, so a run that dies at once can mark its own record failed.
    await save(record);
    try {
      await deps.runStarter.start({ inputs, runId, ...(options ? { reading: options } : {}) });
    } catch (e: unknown) {
      if (e instanceof RunRejectedError) {
        await save({ ...record, status: 'rejected', error: { message: e.message } });
        throw new ApiError(400, e.code, e.message);
      }
      if (e instanceof RunsBusyError) {
        await save({ ...record, status: 'rejected', error: { message: e.message } });
        throw new ApiError(429, 'too_many_runs', e.message, { 'Retry-After': String(e.retryAfterSeconds) });
      }
      await save({ ...record, status: 'failed', error: { message: 'The run could not be started.' } });
      throw e; // unexpected: logged in full by the error middleware, a generic 500 for the client
    }
    deps.logger.info('api.run_started', { runId, inputs: inputs.length });
    const statusUrl = `${basePath(event)}/runs/${runId}`;
    return jsonResponse(202, { runId, status: 'pending', statusUrl }, { Location: statusUrl });
  }

  let openApiBody: string | undefined;

  return [
    {
      method: 'GET',
      path: '/runs',
      handler: async (event) => {
        const page = await pageOfRuns(store, { limit: parseLimit(event), after: parseCursor(event) });
        return entityResponse(event, `${JSON.stringify(page, null, 2)}\n`, CONTENT_TYPES.json);
      },
    },
    { method: 'POST', path: '/runs', handler: startRun },
    {
      method: 'GET',
      path: '/runs/{runId}',
      handler: async (event) => {
        const run = await resolveRun(event);
        const manifest = await store.get(runKey(run.runId, 'manifest.json'));
        if (manifest) return entityResponse(event, manifest, CONTENT_TYPES.json, aliasHeaders(event, run, ''));
        const request = await store.get(requestKey(run.runId));
        if (request) return entityResponse(event, request, CONTENT_TYPES.json, aliasHeaders(event, run, ''));
        throw new ApiError(404, 'run_not_found', `No run "${run.runId}" in this results root.`);
      },
    },
    fileRoute('model'),
    fileRoute('personas'),
    fileRoute('validation'),
    fileRoute('report'),
    {
      method: 'GET',
      path: '/runs/{runId}/scenarios/{tool}',
      handler: async (event) => {
        const tool = param(event, 'tool');
        if (!isTool(tool)) throw new ApiError(404, 'unknown_tool', 'tool must be one of k6, locust, artillery.');
        const file = SCENARIO_FILES[tool];
        const name = file.slice(file.lastIndexOf('/') + 1);
        return serveRunFile(event, file, contentTypeFor(name), `/scenarios/${tool}`, {
          'Content-Disposition': `inline; filename="${name}"`,
        });
      },
    },
    {
      method: 'GET',
      path: '/runs/{runId}/scenarios/{tool}/{file}',
      handler: async (event) => {
        const tool = param(event, 'tool');
        const name = param(event, 'file');
        if (!isTool(tool)) throw new ApiError(404, 'unknown_tool', 'tool must be one of k6, locust, artillery.');
        if (!SCENARIO_FILE_PATTERN.test(name)) {
          throw new ApiError(400, 'invalid_file_name', 'Scenario file names are letters, digits, `_`, `-` and an extension.');
        }
        return serveRunFile(event, `scenarios/${tool}/${name}`, contentTypeFor(name), `/scenarios/${tool}/${name}`, {
          'Content-Disposition': `inline; filename="${name}"`,
        });
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      handler: async (event) => {
        openApiBody ??= `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
        return entityResponse(event, openApiBody, CONTENT_TYPES.json);
      },
    },
  ];
}

/** `/runs/{runId}` -> a regex with the same matching rule as @middy/http-router (one segment per parameter). */
export function routePattern(path: string): RegExp {
  const source = path.replace(/[.]/g, '\\.').replace(/\{[^/]+\}/g, '[^/]+');
  return new RegExp(`^${source}/?$`);
}
