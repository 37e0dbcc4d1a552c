/** Helpers for driving the API handler directly: events, a recording store, a quiet logger. */
import type { ApiGatewayEvent, ApiGatewayResult } from '../../../lib/core/api/http';
import type { ApiLogger } from '../../../lib/core/api/handler';
import type { ResultsStore } from '../../../lib/core/types';

export function event(
  method: string,
  path: string,
  extra: { headers?: Record<string, string>; query?: Record<string, string>; body?: string } = {},
): ApiGatewayEvent {
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    headers: extra.headers ?? {},
    multiValueHeaders: null,
    queryStringParameters: extra.query ?? null,
    pathParameters: null,
    body: extra.body ?? null,
    isBase64Encoded: false,
    requestContext: { path, stage: 'test', requestId: 'req-1' },
  };
}

/** Wraps a store and records every key it was asked for, to prove some requests never reach it. */
export class RecordingStore implements ResultsStore {
  readonly keys: string[] = [];
  constructor(private readonly inner: ResultsStore) {}
  get(key: string) {
    this.keys.push(`get ${key}`);
    return this.inner.get(key);
  }
  put(key: string, body: string | Buffer, contentType?: string) {
    this.keys.push(`put ${key}`);
    return this.inner.put(key, body, contentType);
  }
  list(prefix: string) {
    this.keys.push(`list ${prefix}`);
    return this.inner.list(prefix);
  }
}

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown> | undefined;
}

export function memoryLogger(): ApiLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const json = (r: ApiGatewayResult): unknown => JSON.parse(r.body);
export const contentType = (r: ApiGatewayResult): string => r.headers['Content-Type'] ?? '';

/** Traversal and encoding tricks that must never name a file. */
export const TRAVERSAL_PATHS = [
  '/runs/../latest.json',
  '/runs/%2e%2e/latest.json',
  '/runs/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/model',
  '/runs/..%2F..%2Fsecret/model',
  '/runs/%252e%252e%252fsecret/model',
  '/runs/20261127T090000Z-bbb222/..%5C..%5Csecret',
  '/runs/20261127T090000Z-bbb222\\..\\..\\secret',
  '/runs/%00/model',
  '/runs/20261127T090000Z-bbb222%00/model',
  '/runs/20261127T090000Z-bbb222/scenarios/k6/..%2F..%2Fmodel.json',
  '/runs/20261127T090000Z-bbb222/scenarios/artillery/.processor.js',
  '/runs//etc/passwd',
  '/runs/./20261127T090000Z-bbb222/model',
];
