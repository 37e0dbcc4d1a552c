/**
 * JSON lines and CSV name their columns as the server or logging library chose: nginx's JSON
 * templates (`time_local`, `remote_addr`, `request`, `request_time`), Traefik (`StartUTC`, `ClientHost`,
 * `RequestPath`), Envoy's and Istio's JSON access log (`start_time`, `downstream_remote_address`,
 * `response_code`, `authority`), Cloudflare's Logpush (`ClientIP`, `ClientRequestURI`, `EdgeResponseStatus`,
 * `EdgeStartTimestamp`), Go and Node loggers (`time`, `ts`, `remote_ip`, `uri`), and nested, Caddy
 * (`request.uri`) and Node's pino-http (`req.url`, `res.statusCode`). A column
 * the user did not map (`--columns`) and the file does not hold under its canonical name is read from
 * the first of its common names the file holds, and the run says which it took.
 *
 * Only names whose meaning and unit are unambiguous are listed: `date` may be a day without a time;
 * `duration` is seconds in Caddy, milliseconds elsewhere, and Traefik's `Duration` and Echo's `latency`
 * nanoseconds (Go's time.Duration), so a duration is read only where the record's shape names its unit
 * (BY_LAYOUT); a
 * logger's `hostname` is its own machine; `client` may be an object.
 */
import type { CanonicalColumn } from './parse-sql';

/** Common names of each canonical column, most specific first (JSON keys as written; CSV headers in lower case). */
export const COLUMN_ALIASES: Readonly<Record<CanonicalColumn, readonly string[]>> = {
  timestamp: ['@timestamp', 'time_iso8601', 'time_local', 'StartUTC', 'start_time', 'EdgeStartTimestamp', 'time', 'ts', 'datetime', 'msec'],
  client_ip: [
    'remote_addr', 'remote_ip', 'remoteAddr', 'clientIp', 'ClientHost', 'realip_remote_addr', 'ip', 'request.client_ip', 'request.remote_ip',
    'req.remoteAddress', 'downstream_remote_address', 'httpRequest.remoteIp', 'ClientIP',
  ],
  method: [
    'request_method', 'http_method', 'httpMethod', 'RequestMethod', 'verb', 'request.method', 'req.method', 'httpRequest.requestMethod',
    'ClientRequestMethod',
  ],
  path: ['request_uri', 'RequestPath', 'request_path', 'uri', 'url', 'request.uri', 'req.url', 'httpRequest.requestUrl', 'ClientRequestURI'],
  request: ['request_line'],
  status: [
    'status_code', 'statusCode', 'DownstreamStatus', 'http_status', 'response_status', 'response_code', 'res.statusCode', 'httpRequest.status',
    'EdgeResponseStatus',
  ],
  response_time_s: ['request_time'],
  response_time_ms: ['duration_ms', 'elapsed_ms', 'latency_ms'],
  response_time_ns: ['duration_ns', 'latency_ns'],
  user_agent: [
    'http_user_agent', 'userAgent', 'request_User-Agent', 'User-Agent', 'agent', 'request.headers.User-Agent[0]', 'req.headers.user-agent',
    'httpRequest.userAgent', 'ClientRequestUserAgent',
  ],
  host: ['http_host', 'RequestHost', 'server_name', 'vhost', 'request.host', 'req.headers.host', 'authority', 'ClientRequestHost'],
  session_id: ['sessionId', 'session'],
};

/**
 * Names whose meaning or unit only the rest of the record tells: Caddy's access log (the one with a
 * `request` object holding `uri`) gives `duration` in seconds, pino-http's (Node; a `req` object
 * holding `url`) `responseTime` in milliseconds, Traefik's (with `RequestPath`) `Duration` and Echo's
 * (with `latency_human`) `latency` in nanoseconds, Envoy's JSON access log (Istio's, with
 * `response_flags`) `duration` in milliseconds, and Google Cloud's LogEntry (`httpRequest`) `latency`
 * in seconds (`"0.123s"`). Amazon API Gateway's JSON access logs (CDK's `jsonWithStandardFields`, or
 * the console's template) stamp `requestTime`, and name the route, not the path: REST APIs'
 * `resourcePath` (`/pets/{petId}`), HTTP APIs' `routeKey` (`GET /pets/{petId}`); `responseLatency` is
 * milliseconds.
 */
const BY_LAYOUT: readonly { when: string; column: CanonicalColumn; key: string }[] = [
  { when: 'request.uri', column: 'response_time_s', key: 'duration' },
  { when: 'RequestPath', column: 'response_time_ns', key: 'Duration' },
  { when: 'latency_human', column: 'response_time_ns', key: 'latency' },
  { when: 'req.url', column: 'response_time_ms', key: 'responseTime' },
  { when: 'response_flags', column: 'response_time_ms', key: 'duration' },
  { when: 'httpRequest.requestUrl', column: 'response_time_s', key: 'httpRequest.latency' },
  // API Gateway: a REST API's route is a path, an HTTP API's a request line.
  ...([['resourcePath', 'path'], ['routeKey', 'request']] as const).flatMap(([route, column]) => [
    { when: route, column: 'timestamp' as const, key: 'requestTime' },
    { when: route, column, key: route },
    { when: route, column: 'response_time_ms' as const, key: 'responseLatency' },
  ]),
];

/**
 * For each canonical column that `given` leaves out and `keys` lack under its own name, the first of
 * its common names among `keys`. CSV headers are compared in lower case, as they are read. JSON keys
 * include nested ones as paths (`request.uri`, `request.headers.User-Agent[0]`: jsonKeyPaths).
 */
export function aliasColumnMap(
  keys: readonly string[],
  given: Partial<Record<CanonicalColumn, string>>,
  caseless: boolean,
): Partial<Record<CanonicalColumn, string>> {
  const norm = (k: string) => (caseless ? k.toLowerCase() : k);
  const present = new Set(keys.map(norm));
  const taken = new Set(Object.values(given).map(norm));
  const out: Partial<Record<CanonicalColumn, string>> = {};
  for (const [column, aliases] of Object.entries(COLUMN_ALIASES) as [CanonicalColumn, readonly string[]][]) {
    if (given[column] !== undefined || present.has(norm(column))) continue;
    const alias = aliases.map(norm).find((a) => present.has(a) && !taken.has(a));
    if (alias === undefined) continue;
    out[column] = alias;
    taken.add(alias);
  }
  for (const { when, column, key } of BY_LAYOUT) {
    if (given[column] !== undefined || out[column] !== undefined || present.has(norm(column))) continue;
    if (present.has(norm(when)) && present.has(norm(key)) && !taken.has(norm(key))) out[column] = key;
  }
  return out;
}

/** Nesting followed into a JSON record: Caddy's deepest useful key is `request.headers.User-Agent`. */
const MAX_KEY_DEPTH = 3;

/**
 * A JSON record's keys, nested ones as the paths `--columns` takes: `request`, `request.uri`,
 * `request.headers.User-Agent[0]` (the first of an array of strings, as Caddy logs headers).
 */
export function jsonKeyPaths(record: Readonly<Record<string, unknown>>, prefix = '', depth = 1): string[] {
  return Object.entries(record).flatMap(([key, value]) => {
    const at = `${prefix}${key}`;
    if (Array.isArray(value)) return typeof value[0] === 'string' ? [at, `${at}[0]`] : [at];
    if (value !== null && typeof value === 'object' && depth < MAX_KEY_DEPTH) {
      return [at, ...jsonKeyPaths(value as Record<string, unknown>, `${at}.`, depth + 1)];
    }
    return [at];
  });
}

/** How a run names the columns it read by their common names, e.g. `timestamp=time_local, status=status_code`. */
export function describeAliases(map: Partial<Record<CanonicalColumn, string>>): string {
  return Object.entries(map).map(([column, key]) => `${column}=${key}`).join(', ');
}
