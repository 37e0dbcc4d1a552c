/**
 * The HTTP edge of the API in API Gateway REST (v1 proxy) terms: the event and result shapes, the
 * one error type that carries a status, and the response builders that set content types, strong
 * ETags and 304s. Lambda receives these events from API Gateway; `loadprint serve` builds them
 * from Node requests.
 */
import { createHash } from 'node:crypto';

/** The fields of an API Gateway REST proxy event this API reads (a subset of aws-lambda's type). */
export interface ApiGatewayEvent {
  httpMethod: string;
  path: string;
  resource?: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { path?: string; stage?: string; requestId?: string } & Record<string, unknown>;
}

export interface ApiGatewayResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

/**
 * An error the client caused or should see: status, a stable machine code and a message safe to
 * show. Anything else thrown inside the API becomes a generic 500.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  javascript: 'application/javascript; charset=utf-8',
  python: 'text/x-python; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  binary: 'application/octet-stream',
} as const;

/** Content type by file extension, for files served from a scenario folder. */
export function contentTypeFor(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  const byExt: Record<string, string> = {
    js: CONTENT_TYPES.javascript,
    mjs: CONTENT_TYPES.javascript,
    py: CONTENT_TYPES.python,
    yml: CONTENT_TYPES.yaml,
    yaml: CONTENT_TYPES.yaml,
    json: CONTENT_TYPES.json,
    csv: CONTENT_TYPES.csv,
    html: CONTENT_TYPES.html,
    txt: CONTENT_TYPES.text,
  };
  return byExt[ext] ?? CONTENT_TYPES.binary;
}

/** Headers every response carries: clients must not sniff a script into something else. */
const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff' } as const;

/** Case-insensitive header lookup over both the single- and multi-value maps. */
export function header(event: ApiGatewayEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) {
    if (k.toLowerCase() === wanted && v !== undefined) return v;
  }
  for (const [k, v] of Object.entries(event.multiValueHeaders ?? {})) {
    if (k.toLowerCase() === wanted && v && v.length > 0) return v.join(', ');
  }
  return undefined;
}

/** Strong validator: a hash of the exact bytes served. */
export function strongEtag(body: Buffer | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * True when If-None-Match names this ETag (or `*`). RFC 9110 compares weakly here, so a `W/`
 * prefix a proxy added still matches.
 */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/**
 * A 200 with ETag and content type, or a body-less 304 when the client already holds these bytes.
 * `no-cache` makes clients revalidate (runs can be replaced and `latest` moves) at the cost of a
 * 304 round trip.
 */
export function entityResponse(
  event: ApiGatewayEvent,
  body: Buffer | string,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): ApiGatewayResult {
  const etag = strongEtag(body);
  const headers = { ...BASE_HEADERS, ETag: etag, 'Cache-Control': 'no-cache', ...extraHeaders };
  if (matchesIfNoneMatch(header(event, 'If-None-Match'), etag)) {
    return { statusCode: 304, headers, body: '' };
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return { statusCode: 200, headers: { ...headers, 'Content-Type': contentType }, body: text };
}

export function jsonResponse(
  statusCode: number,
  value: unknown,
  extraHeaders: Record<string, string> = {},
): ApiGatewayResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'Content-Type': CONTENT_TYPES.json, 'Cache-Control': 'no-store', ...extraHeaders },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

export function errorResponse(error: ApiError): ApiGatewayResult {
  return jsonResponse(error.statusCode, { error: { code: error.code, message: error.message } }, error.headers);
}

/** The generic body of every unexpected failure: nothing about the cause leaks to the client. */
export const INTERNAL_ERROR_BODY = JSON.stringify({
  error: { code: 'internal_error', message: 'The server failed to answer this request; it has been logged.' },
});

/**
 * The path prefix the client used in front of the API's own paths (an API Gateway stage such as
 * `/prod`, or a custom domain's base path), so links we return work from the client's side.
 */
export function basePath(event: ApiGatewayEvent): string {
  const full = event.requestContext?.path;
  if (typeof full !== 'string' || !full.endsWith(event.path)) return '';
  const prefix = full.slice(0, full.length - event.path.length);
  return /^(\/[A-Za-z0-9_.~-]+)*$/.test(prefix) ? prefix : '';
}
