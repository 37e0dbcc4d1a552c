/**
 * Node HTTP <-> API Gateway REST (v1 proxy) adapter, so `loadprint serve` runs the very handler
 * Lambda runs. The event is built as API Gateway's REST API builds it: `path` still
 * percent-encoded, `pathParameters.proxy` decoded, single- and multi-value headers and query.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { INTERNAL_ERROR_BODY, type ApiGatewayEvent, type ApiGatewayResult } from '../core/api/http';

export type EventHandler = (event: ApiGatewayEvent, context: Record<string, unknown>) => Promise<ApiGatewayResult>;

export interface NodeAdapterOptions {
  /** Larger request bodies are refused with 413 before the handler runs. */
  readonly maxBodyBytes: number;
  /** Called for failures of the adapter itself (the handler reports its own). */
  readonly onError?: (e: unknown) => void;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // malformed escapes stay as they are; the handler refuses the `%`
  }
}

/** Builds the REST API proxy event for a request whose body has been read. */
export function toApiGatewayEvent(req: IncomingMessage, body: Buffer): ApiGatewayEvent {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [k, v] of query) {
    queryStringParameters[k] = v;
    (multiValueQueryStringParameters[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: path.length > 1 ? { proxy: safeDecode(path.slice(1)) } : null,
    stageVariables: null,
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      resourcePath: '/{proxy+}',
      httpMethod: method,
      path,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: req.socket.remoteAddress ?? '' },
    },
  } as ApiGatewayEvent;
}

function send(res: ServerResponse, result: ApiGatewayResult): void {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  const headers: Record<string, string | number> = { ...result.headers };
  if (result.statusCode !== 304 && result.statusCode !== 204) headers['Content-Length'] = body.length;
  res.writeHead(result.statusCode, headers);
  res.end(result.statusCode === 304 || result.statusCode === 204 ? undefined : body);
}

function tooLarge(maxBodyBytes: number): ApiGatewayResult {
  return {
    statusCode: 413,
    headers: { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' },
    body: JSON.stringify({ error: { code: 'body_too_large', message: `The request body is over ${maxBodyBytes} bytes.` } }),
  };
}

/** A Node request listener that feeds each request to `handler` as an API Gateway event. */
export function apiGatewayListener(handler: EventHandler, options: NodeAdapterOptions): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > options.maxBodyBytes) {
        refused = true;
        send(res, tooLarge(options.maxBodyBytes));
        req.resume(); // drain without keeping what arrives
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const event = toApiGatewayEvent(req, Buffer.concat(chunks));
      handler(event, { awsRequestId: event.requestContext?.requestId })
        .then((result) => send(res, result))
        .catch((e: unknown) => {
          options.onError?.(e);
          send(res, { statusCode: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: INTERNAL_ERROR_BODY });
        });
    });
  };
}
