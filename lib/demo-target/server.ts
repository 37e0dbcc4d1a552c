/**
 * A stand-in for the system under test: a small HTTP server on 127.0.0.1 that answers every route of
 * a traffic model (any route at all without one) with small realistic bodies, and writes an nginx
 * "combined" access log with the request time appended, so generated scenarios can be run against
 * it and the traffic it received profiled like production's.
 */
import { createWriteStream } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeRegex } from '../core/escape-regex';
import { OTHER_STATE, type TrafficModel } from '../core/types';

/**
 * How long an idle keep-alive connection stays open. A load tool reuses its pooled connections
 * between a user's pages; at Node's 5 s default the server could close one just as a request went
 * out on it, and that request failed (Locust: RemoteDisconnected, and a failed run) whenever a busy
 * machine stretched the pauses past 5 s. 65 s, as servers behind an ALB (idle timeout 60 s) use.
 */
const KEEP_ALIVE_MS = 65_000;

export interface DemoTargetOptions {
  /** Routes to answer; without a model every path answers 200. */
  readonly model?: TrafficModel;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Access log path (appended to). */
  readonly logFile: string;
  /**
   * `combined`: nginx combined + $request_time (one-second stamps, like a default nginx).
   * `jsonl`: one JSON object per request with millisecond epoch times, the precision a closed-loop
   * check needs once think times are scaled down to fractions of a second. @default 'combined'
   */
  readonly logFormat?: 'combined' | 'jsonl';
  /** Fixed delay added to every response. @default 0 */
  readonly latencyMs?: number;
  /** Also delay each page by its production p50 response time from the model. @default false */
  readonly modelLatency?: boolean;
}

export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly userAgent: string;
  /** Epoch milliseconds at arrival. */
  readonly at: number;
}

export interface DemoTarget {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, ends open ones and flushes the access log. */
  close(): Promise<void>;
  /** Requests received so far, in arrival order. */
  requests(): readonly ReceivedRequest[];
}

interface Route {
  readonly method: string | undefined; // undefined: every method (resources)
  readonly pattern: RegExp;
  readonly kind: 'page' | 'api' | 'asset';
  readonly latencyMs: number;
}

export async function startDemoTarget(options: DemoTargetOptions): Promise<DemoTarget> {
  const routes = options.model ? modelRoutes(options.model, options.modelLatency ?? false) : undefined;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise<void>((resolve, reject) => {
    log.once('open', () => resolve());
    log.once('error', reject);
  });
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const at = Date.now();
    const started = process.hrtime.bigint();
    // Drain the body (writes carry one) before answering, as a real server would.
    req.resume();
    req.once('end', () => {
      const { path, query } = splitUrl(req.url ?? '/');
      const method = (req.method ?? 'GET').toUpperCase();
      const route = routes ? routes.find((r) => (r.method === undefined || r.method === method) && r.pattern.test(path)) : undefined;
      const kind = route?.kind ?? (routes ? undefined : guessKind(path));
      const delay = (options.latencyMs ?? 0) + (route?.latencyMs ?? 0);
      setTimeout(() => {
        const status = kind === undefined ? 404 : method === 'POST' ? 201 : 200;
        const body = kind === undefined ? JSON.stringify({ error: 'not found' }) : bodyFor(kind, method, path);
        res.writeHead(status, { 'content-type': contentType(kind, path), 'content-length': Buffer.byteLength(body) });
        res.end(method === 'HEAD' ? undefined : body, () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const userAgent = String(req.headers['user-agent'] ?? '-');
          received.push({ method, path, query, status, userAgent, at });
          log.write(
            options.logFormat === 'jsonl'
              ? jsonAccessLine({ at, seconds, clientIp: remoteIp(req), userAgent, method, url: req.url ?? '/', status, host: req.headers.host })
              : combinedLine(req, status, Buffer.byteLength(body), seconds, at),
          );
        });
      }, delay);
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}

/** Path templates (`/p/{id}`, query part ignored) to anchored patterns; states and their resources. */
function modelRoutes(model: TrafficModel, modelLatency: boolean): Route[] {
  const routes: Route[] = [];
  for (const persona of model.personas) {
    for (const s of persona.states) {
      const templates = s.path === OTHER_STATE ? (s.templates ?? []) : [s.path];
      const latencyMs = modelLatency ? Math.max(0, s.responseTimeMs.p50) : 0;
      for (const t of templates) {
        routes.push({ method: s.method.toUpperCase(), pattern: templatePattern(t), kind: guessKind(t.split('?')[0] ?? t), latencyMs });
      }
      for (const r of s.resources) routes.push({ method: undefined, pattern: templatePattern(r), kind: 'asset', latencyMs: 0 });
    }
  }
  return routes;
}

export function templatePattern(template: string): RegExp {
  const path = template.split('?')[0] ?? template;
  const source = path
    .split(/(\{[^{}]+\})/)
    .map((part) => (/^\{[^{}]+\}$/.test(part) ? '[^/]+' : escapeRegex(part)))
    .join('');
  return new RegExp(`^${source}$`);
}

function guessKind(path: string): Route['kind'] {
  if (/\.[a-z0-9]{1,5}$/i.test(path)) return 'asset';
  return /^\/(api|v\d+|graphql|rest)\b/.test(path) ? 'api' : 'page';
}

function contentType(kind: Route['kind'] | undefined, path: string): string {
  if (kind === 'page') return 'text/html; charset=utf-8';
  if (kind !== 'asset') return 'application/json';
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    js: 'text/javascript', css: 'text/css', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
    svg: 'image/svg+xml', ico: 'image/x-icon', woff2: 'font/woff2', json: 'application/json',
  };
  return types[ext] ?? 'application/octet-stream';
}

function bodyFor(kind: Route['kind'], method: string, path: string): string {
  if (kind === 'asset') return `/* ${path.replace(/\*\//g, '')} */\n`.padEnd(256, ' ');
  if (kind === 'api' || method !== 'GET') return JSON.stringify({ ok: true, method, path, items: [{ id: 1 }, { id: 2 }] });
  const title = path.replace(/[<>&"']/g, '');
  return `<!doctype html><html><head><title>${title}</title><script src="/static/app.js"></script></head><body><h1>${title}</h1><p>${'Lorem ipsum dolor sit amet. '.repeat(8)}</p></body></html>\n`;
}

function splitUrl(url: string): { path: string; query: string } {
  const i = url.indexOf('?');
  return i < 0 ? { path: url, query: '' } : { path: url.slice(0, i), query: url.slice(i + 1) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx `combined` plus `$request_time`; quotes and control bytes escaped as nginx does (\xHH). */
export function combinedLine(req: IncomingMessage, status: number, bytes: number, seconds: number, at: number): string {
  const d = new Date(at);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const request = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`;
  const referer = String(req.headers['referer'] ?? '-');
  const agent = String(req.headers['user-agent'] ?? '-');
  const ip = remoteIp(req);
  return `${ip} - - [${time}] "${escapeField(request)}" ${status} ${bytes} "${escapeField(referer)}" "${escapeField(agent)}" ${seconds.toFixed(3)}\n`;
}

function remoteIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

export interface JsonAccessEntry {
  /** Arrival, epoch milliseconds. */
  readonly at: number;
  /** Time to answer, seconds. */
  readonly seconds: number;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly method: string;
  /** Path with its query string, as requested. */
  readonly url: string;
  readonly status: number;
  readonly host?: string | undefined;
}

/**
 * One JSON access-log line in the canonical column names Loadprint's `jsonl` reader takes as they are
 * (timestamp as epoch seconds with milliseconds, response_time_ms), so no --columns map is needed.
 */
export function jsonAccessLine(e: JsonAccessEntry): string {
  return `${JSON.stringify({
    timestamp: (e.at / 1000).toFixed(3),
    response_time_ms: Math.round(e.seconds * 1e6) / 1e3,
    client_ip: e.clientIp,
    user_agent: e.userAgent,
    method: e.method,
    path: e.url,
    status: e.status,
    ...(e.host ? { host: e.host } : {}),
  })}\n`;
}

function escapeField(text: string): string {
  // eslint-disable-next-line no-control-regex -- control bytes are what nginx escapes
  return text.replace(/["\\\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
