/**
 * `--log-format`: the server's own access-log layout, as written in its configuration (Apache's
 * `LogFormat`, nginx's `log_format`, Envoy's and Istio's `format` / `accessLogFormat` command
 * operators), compiled into one regular expression with a capture group per
 * field and the role each field plays for Loadprint (client, time, request, status, duration, ...).
 * Real servers extend the combined format (a response time, a host, a cookie): fields past the agent,
 * at any place, read only when the layout is known. Two layouts are no format string: HAProxy's httplog
 * (its expression, by name) and IIS's, made from its `#Fields` (w3cLayout). Pure: the SQL that applies
 * them is in parse-sql.ts.
 *
 * Fields Loadprint has no use for are matched and ignored. Two fields with nothing between them cannot
 * be told apart, except the pieces of a URL (`$uri$is_args$args`, `%U%q`), which are read as one.
 */
import { escapeRegex } from '../escape-regex';
import { OptionError } from '../errors';

export type TimeKind =
  /** `[10/Oct/2000:13:55:36 -0700]` or the same without brackets (Apache %t, nginx $time_local). */
  | { kind: 'clf' }
  | { kind: 'iso8601' }
  /** Apache `%{format}t`: strftime, read with strptime. */
  | { kind: 'strftime'; format: string }
  /** Seconds, milliseconds or microseconds since the epoch (nginx $msec; Apache %{sec|msec|usec}t). */
  | { kind: 'epoch'; perSecond: number };

export type FieldRole =
  | { role: 'client' }
  /** X-Forwarded-For: behind a load balancer the first address is the client's. */
  | { role: 'forwarded_for' }
  | { role: 'time'; time: TimeKind; atEnd: boolean }
  /** Apache %{msec_frac}t / %{usec_frac}t: the fraction of the time's second, in 1/perSecond. */
  | { role: 'time_fraction'; perSecond: number }
  | { role: 'request' }
  | { role: 'method' }
  /** Path and query string together (nginx $request_uri, or `$uri$is_args$args`, `%U%q` read as one). */
  | { role: 'uri' }
  | { role: 'path' }
  | { role: 'query' }
  | { role: 'status'; final: boolean }
  | { role: 'user_agent' }
  | { role: 'host' }
  /** A duration, converted to milliseconds by `toMs`; `rank` orders several (lower wins). */
  | { role: 'duration'; toMs: number; rank: number }
  | { role: 'cookie_header' }
  | { role: 'cookie'; name: string }
  /** A visitor id the server sets itself: Apache mod_usertrack's `%{cookie}n`, nginx userid's `$uid_got`. */
  | { role: 'visitor_id' }
  | { role: 'other' };

export interface LogField {
  /** The directive as written (`%>s`, `$request_time`), for messages. */
  directive: string;
  role: FieldRole;
}

export interface CompiledLogFormat {
  /** The layout as the user gave it. */
  source: string;
  /** How the layout is written; `haproxy`: a built-in expression (BUILT_IN_LAYOUTS); `w3c`: IIS's `#Fields` (w3cLayout). */
  dialect: LayoutDialect | 'haproxy' | 'w3c';
  /** RE2 (DuckDB) expression over a whole line; capture group i is fields[i - 1]. */
  regex: string;
  fields: LogField[];
}

export type LayoutDialect = 'apache' | 'nginx' | 'envoy';

/** Envoy's default access-log layout (no `format` configured). */
const ENVOY_DEFAULT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
  '%BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" ' +
  '"%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"';
/** Istio's default TEXT access log (its sidecars' and gateways' `kubectl logs`): Envoy's, with more fields. */
const ISTIO_DEFAULT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
  '%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% ' +
  '%BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" ' +
  '"%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% ' +
  '%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%';

/**
 * The layouts servers ship under a name, so that `--log-format combined` means what `CustomLog ...
 * combined` or `access_log ... main` does. Apache's as httpd and Debian define them (`%O` or `%b`
 * makes no difference here: bytes are not read), vhost_combined as Debian's other_vhosts_access.log
 * writes it; `main` is the layout of nginx.org's packages and Docker image. nginx's own `combined` is
 * Apache's, with the time stamped when the response ends (no difference without a duration). `envoy`
 * and `istio` are the proxies' defaults; sniffing knows their lines (detect-format.ts).
 */
export const LOG_FORMAT_NICKNAMES: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  combinedio: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %I %O',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
  main: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"',
  envoy: ENVOY_DEFAULT,
  istio: ISTIO_DEFAULT,
};

/** A layout string in pieces: literal text and directives, in order. */
type Piece = { literal: string } | { directive: string; role: FieldRole };

/**
 * HAProxy's `option httplog`, the layout of nearly every HAProxy access log (here after its syslog
 * header): `client:port [request date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes cookies
 * termination conns queues {captured request headers} {captured response headers} "request"`. Written
 * as its expression, not in HAProxy's log-format language: the captured-header blocks are there only
 * when `capture` is configured. The date is the request's reception; Ta (Tt before HAProxy 1.9) its
 * whole time in milliseconds, -1 when it was aborted.
 */
const HAPROXY_HTTPLOG: CompiledLogFormat = {
  source: 'haproxy',
  dialect: 'haproxy',
  regex: '^(\\S+):\\d+ \\[([^\\]]+)\\] \\S+ \\S+ (?:-?\\d+/){4}\\+?(-?\\d+) (-?\\d+) \\S+ \\S+ \\S+ \\S+ \\S+ \\S+(?: \\{[^}]*\\}){0,2} "(.*?)"?\\s*$',
  fields: [
    { directive: '%ci', role: { role: 'client' } },
    { directive: '%tr', role: { role: 'time', time: { kind: 'clf' }, atEnd: false } },
    { directive: '%Ta', role: { role: 'duration', toMs: 1, rank: 0 } },
    { directive: '%ST', role: { role: 'status', final: true } },
    { directive: '%{+Q}r', role: { role: 'request' } },
  ],
};

/**
 * W3C extended log fields (IIS's names, compared in lower case) and their roles. IIS stamps the entry
 * when the response ends, in UTC, and times requests in milliseconds.
 */
const W3C_ROLES: Readonly<Record<string, FieldRole>> = {
  'c-ip': { role: 'client' },
  'cs-method': { role: 'method' },
  'cs-uri-stem': { role: 'path' },
  'cs-uri-query': { role: 'query' },
  'sc-status': { role: 'status', final: true },
  'time-taken': { role: 'duration', toMs: 1, rank: 0 },
  'cs(user-agent)': { role: 'user_agent' },
  'cs-host': { role: 'host' },
  'cs(host)': { role: 'host' },
  'cs(x-forwarded-for)': { role: 'forwarded_for' },
  'cs(cookie)': { role: 'cookie_header' },
};

/** Whether `#Fields` hold what sessions need: the date and the time side by side, a method, a path and a status. */
export function isReadableW3c(fields: readonly string[]): boolean {
  const at = fields.map((f) => f.toLowerCase());
  const date = at.indexOf('date');
  return date >= 0 && at[date + 1] === 'time' && ['cs-method', 'cs-uri-stem', 'sc-status'].every((f) => at.includes(f));
}

/**
 * The layout of a W3C extended log with spaces between its fields (IIS), from its `#Fields`: one group
 * per field, the date and the time read as one stamp. Values hold no spaces (IIS writes `+` for one).
 */
export function w3cLayout(fields: readonly string[]): CompiledLogFormat {
  if (!isReadableW3c(fields)) throw new OptionError(`W3C fields ${fields.join(' ')} lack a date and time side by side, a method, a path or a status`);
  const names = fields.map((f) => f.toLowerCase());
  const groups: string[] = [];
  const out: LogField[] = [];
  for (let i = 0; i < names.length; i++) {
    if (names[i] === 'date' && names[i + 1] === 'time') {
      groups.push('(\\S+ \\S+)');
      out.push({ directive: 'date time', role: { role: 'time', time: { kind: 'iso8601' }, atEnd: true } });
      i++;
      continue;
    }
    groups.push('(\\S*)');
    out.push({ directive: fields[i]!, role: W3C_ROLES[names[i]!] ?? { role: 'other' } });
  }
  return { source: `#Fields: ${fields.join(' ')}`, dialect: 'w3c', regex: `^${groups.join(' ')}\\s*$`, fields: out };
}

/** Layouts known by name only, as their expression. */
const BUILT_IN_LAYOUTS: Readonly<Record<string, CompiledLogFormat>> = { haproxy: HAPROXY_HTTPLOG };

/** Every name `--log-format` takes. */
export const LOG_FORMAT_NAMES: readonly string[] = [...Object.keys(LOG_FORMAT_NICKNAMES), ...Object.keys(BUILT_IN_LAYOUTS)];

/**
 * Compiles an Apache `LogFormat` (any `%` directive), nginx `log_format` (any `$variable`) or Envoy
 * format string (any `%COMMAND_OPERATOR%`), or the name of a layout servers ship
 * (LOG_FORMAT_NAMES). Throws an OptionError naming what is missing when the layout lacks a time,
 * a request or a status.
 */
export function compileLogFormat(source: string): CompiledLogFormat {
  const name = source.trim();
  if (Object.hasOwn(BUILT_IN_LAYOUTS, name)) return { ...BUILT_IN_LAYOUTS[name]!, source };
  const named = Object.hasOwn(LOG_FORMAT_NICKNAMES, name) ? LOG_FORMAT_NICKNAMES[name] : undefined;
  if (named === undefined && /^[\w-]+$/.test(name)) {
    throw new OptionError(
      `--log-format ${name} is not a layout nor a name Loadprint knows (${LOG_FORMAT_NAMES.join(', ')}); ` +
        'copy the layout string from the server\'s LogFormat or log_format',
    );
  }
  const written = named ?? source;
  const dialect = layoutDialect(written);
  // httpd.conf and Envoy's YAML quote the format string, so its inner quotes are written \" there: a line never holds \".
  const layout = dialect === 'nginx' ? written : written.replace(/\\"/g, '"');
  const pieces = mergeAdjacent({ apache: apachePieces, nginx: nginxPieces, envoy: envoyPieces }[dialect](layout));
  const fields = pieces.flatMap((p) => ('directive' in p ? [{ directive: p.directive, role: p.role }] : []));
  requireFields(fields, dialect);
  const regex = pieces
    .map((p, i) => ('literal' in p ? escapeRegex(p.literal) : `(${fieldPattern(p.role, pieces[i - 1], pieces[i + 1])})`))
    .join('');
  return { source, dialect, regex: `^${regex}\\s*$`, fields };
}

/** Envoy's command operators: `%START_TIME%`, `%REQ(USER-AGENT)%`, `%REQ(:PATH):64%` (truncated). */
const ENVOY_OPERATOR = /%([A-Z][A-Z0-9_]+)(?:\(([^)]*)\))?(?::\d+)?%/g;

function layoutDialect(layout: string): LayoutDialect {
  if (/\$\{?[a-z_]/.test(layout)) return 'nginx';
  // Envoy's before Apache's: `%START_TIME%` also reads as Apache's `%S` followed by text.
  if (new RegExp(ENVOY_OPERATOR.source).test(layout)) return 'envoy';
  return /%[<>!,0-9{]*[a-zA-Z]/.test(layout) ? 'apache' : 'nginx';
}

/** Apache: `%[conditions][<>]{param}letter`, `%%` a literal percent. */
function apachePieces(source: string): Piece[] {
  return splitPieces(source, /%%|%(?:!?[0-9,]+)?([<>]?)(?:\{([^}]*)\})?(\^t[io]|[a-zA-Z])/g, (m) =>
    m[0] === '%%' ? { literal: '%' } : { directive: m[0], role: apacheRole(m[3]!, m[2], m[1] === '>') });
}

/** `source` in pieces: the text between `pattern`'s matches as literals, each match as `piece` makes it. */
function splitPieces(source: string, pattern: RegExp, piece: (m: RegExpMatchArray) => Piece): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const m of source.matchAll(pattern)) {
    pieces.push({ literal: source.slice(at, m.index) }, piece(m));
    at = m.index + m[0].length;
  }
  pieces.push({ literal: source.slice(at) });
  return joinLiterals(pieces);
}

function apacheRole(letter: string, param: string | undefined, final: boolean): FieldRole {
  const header = param?.toLowerCase();
  switch (letter) {
    case 'h':
    case 'a':
      return { role: 'client' };
    case 't':
      return apacheTime(param);
    case 'r':
      return { role: 'request' };
    case 'm':
      return { role: 'method' };
    case 'U':
      return { role: 'path' };
    case 'q':
      return { role: 'query' };
    case 's':
      return { role: 'status', final };
    case 'v':
    case 'V':
      return { role: 'host' };
    case 'D':
      return { role: 'duration', toMs: 1 / 1000, rank: 0 };
    case 'T':
      return { role: 'duration', toMs: { ms: 1, us: 1 / 1000 }[param ?? ''] ?? 1000, rank: 1 };
    case 'C':
      return param ? { role: 'cookie', name: param } : { role: 'other' };
    case 'n':
      return header === 'cookie' ? { role: 'visitor_id' } : { role: 'other' };
    case 'i':
      if (header === 'user-agent') return { role: 'user_agent' };
      if (header === 'host') return { role: 'host' };
      if (header === 'cookie') return { role: 'cookie_header' };
      if (header === 'x-forwarded-for') return { role: 'forwarded_for' };
      return { role: 'other' };
    default:
      return { role: 'other' };
  }
}

/** `%t`, `%{format}t` with an optional `begin:`/`end:` prefix, or the epoch and fraction forms. */
function apacheTime(param: string | undefined): FieldRole {
  if (param === undefined) return { role: 'time', time: { kind: 'clf' }, atEnd: false };
  const atEnd = param.startsWith('end:');
  const format = param.replace(/^(begin|end):/, '');
  const epoch: Record<string, number> = { sec: 1, msec: 1e3, usec: 1e6 };
  if (format in epoch) return { role: 'time', time: { kind: 'epoch', perSecond: epoch[format]! }, atEnd };
  if (format === 'msec_frac') return { role: 'time_fraction', perSecond: 1e3 };
  if (format === 'usec_frac') return { role: 'time_fraction', perSecond: 1e6 };
  return { role: 'time', time: { kind: 'strftime', format: format || '[%d/%b/%Y:%H:%M:%S %z]' }, atEnd };
}

/** nginx: `$name` or `${name}`; everything else is literal. */
function nginxPieces(source: string): Piece[] {
  return splitPieces(source, /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (m) => ({ directive: m[0], role: nginxRole((m[1] ?? m[2])!) }));
}

/** Envoy: `%OPERATOR%`, `%OPERATOR(argument)%`, `%OPERATOR(argument):length%`; everything else is literal. */
function envoyPieces(source: string): Piece[] {
  return splitPieces(source, ENVOY_OPERATOR, (m) => ({ directive: m[0], role: envoyRole(m[1]!, m[2]) }));
}

/**
 * Envoy stamps the request's start (%START_TIME%, ISO 8601 with milliseconds by default) and times in
 * milliseconds: %DURATION% the whole request, the upstream's service time a part of it. A header
 * operator may name alternatives (`X-ENVOY-ORIGINAL-PATH?:PATH`: the path before a rewrite, else the path).
 */
function envoyRole(operator: string, argument: string | undefined): FieldRole {
  const headers = (argument ?? '').toLowerCase().split('?');
  switch (operator) {
    case 'START_TIME':
      return { role: 'time', time: envoyTime(argument), atEnd: false };
    case 'RESPONSE_CODE':
      return { role: 'status', final: true };
    case 'DURATION':
      return { role: 'duration', toMs: 1, rank: 0 };
    case 'DOWNSTREAM_REMOTE_ADDRESS':
    case 'DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT':
      return { role: 'client' };
    case 'RESP':
      return headers.includes('x-envoy-upstream-service-time') ? { role: 'duration', toMs: 1, rank: 1 } : { role: 'other' };
    case 'REQ':
      if (headers.includes(':method')) return { role: 'method' };
      if (headers.includes(':path')) return { role: 'uri' };
      if (headers.includes(':authority') || headers.includes('host')) return { role: 'host' };
      if (headers.includes('user-agent')) return { role: 'user_agent' };
      if (headers.includes('x-forwarded-for')) return { role: 'forwarded_for' };
      if (headers.includes('cookie')) return { role: 'cookie_header' };
      return { role: 'other' };
    default:
      return { role: 'other' };
  }
}

/** `%START_TIME%` is ISO 8601; `%START_TIME(%s)%` epoch seconds; other formats are strftime with Envoy's fractions (`%E3S`, `%6f`). */
function envoyTime(format: string | undefined): TimeKind {
  if (format === undefined || format === '') return { kind: 'iso8601' };
  if (format === '%s') return { kind: 'epoch', perSecond: 1 };
  const fractions: Record<string, string> = { '%E3S': '%S.%g', '%E6S': '%S.%f', '%3f': '%g', '%6f': '%f' };
  return { kind: 'strftime', format: format.replace(/%E[36]S|%[36]f/g, (f) => fractions[f]!) };
}

/** nginx writes its access log when the response ends: its times are end times. */
const NGINX_ROLES: Record<string, FieldRole> = {
  remote_addr: { role: 'client' },
  realip_remote_addr: { role: 'client' },
  http_x_forwarded_for: { role: 'forwarded_for' },
  proxy_add_x_forwarded_for: { role: 'forwarded_for' },
  time_local: { role: 'time', time: { kind: 'clf' }, atEnd: true },
  time_iso8601: { role: 'time', time: { kind: 'iso8601' }, atEnd: true },
  msec: { role: 'time', time: { kind: 'epoch', perSecond: 1 }, atEnd: true },
  request: { role: 'request' },
  request_method: { role: 'method' },
  request_uri: { role: 'uri' },
  uri: { role: 'path' },
  document_uri: { role: 'path' },
  args: { role: 'query' },
  query_string: { role: 'query' },
  is_args: { role: 'query' },
  status: { role: 'status', final: true },
  http_user_agent: { role: 'user_agent' },
  host: { role: 'host' },
  http_host: { role: 'host' },
  server_name: { role: 'host' },
  http_cookie: { role: 'cookie_header' },
  uid_got: { role: 'visitor_id' },
  // The whole request's time first; the upstream's is a part of it (and a list when nginx retried).
  request_time: { role: 'duration', toMs: 1000, rank: 0 },
  upstream_response_time: { role: 'duration', toMs: 1000, rank: 1 },
};

function nginxRole(name: string): FieldRole {
  if (name.startsWith('cookie_')) return { role: 'cookie', name: name.slice('cookie_'.length) };
  return NGINX_ROLES[name] ?? { role: 'other' };
}

function joinLiterals(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if ('literal' in p && last && 'literal' in last) last.literal += p.literal;
    else if (!('literal' in p) || p.literal !== '') out.push('literal' in p ? { ...p } : p);
  }
  return out;
}

const URL_PARTS = new Set(['uri', 'path', 'query']);

/** Directives with no literal between them: URL pieces read as one URI; anything else is ambiguous. */
function mergeAdjacent(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (!('directive' in p) || !last || !('directive' in last)) {
      out.push(p);
      continue;
    }
    const both = [last.role.role, p.role.role];
    if (both.every((r) => URL_PARTS.has(r))) out[out.length - 1] = { directive: last.directive + p.directive, role: { role: 'uri' } };
    else if (both.every((r) => r === 'other')) out[out.length - 1] = { directive: last.directive + p.directive, role: { role: 'other' } };
    else throw new OptionError(`--log-format: ${last.directive} and ${p.directive} follow each other with nothing between, so neither can be read; check the layout`);
  }
  return out;
}

/** How each dialect writes the fields a layout cannot do without, for the message that names what is missing. */
const REQUIRED_NAMES: Record<LayoutDialect, { time: string; request: string; status: string }> = {
  apache: { time: '%t or %{format}t', request: '%r, or %m with %U', status: '%s or %>s' },
  nginx: { time: '$time_local, $time_iso8601 or $msec', request: '$request, or $request_method with $request_uri', status: '$status' },
  envoy: { time: '%START_TIME%', request: '%REQ(:METHOD)% with %REQ(:PATH)%', status: '%RESPONSE_CODE%' },
};

function requireFields(fields: readonly LogField[], dialect: LayoutDialect): void {
  const has = (role: FieldRole['role']) => fields.some((f) => f.role.role === role);
  const names = REQUIRED_NAMES[dialect];
  const missing = [
    ...(has('time') ? [] : [`a time (${names.time})`]),
    ...(has('request') || (has('method') && (has('uri') || has('path'))) ? [] : [`the request (${names.request})`]),
    ...(has('status') ? [] : [`a status (${names.status})`]),
  ];
  if (missing.length > 0) {
    const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]!}` : missing[0]!;
    throw new OptionError(`--log-format lacks ${list}, which sessions need; give the layout the server writes (Apache LogFormat, nginx log_format or Envoy format)`);
  }
}

/**
 * A field's pattern. Between double quotes: anything but an unescaped quote. A time: its own shape
 * (as many words as its layout has), never empty, so that a line that matches has a time (parse-sql.ts
 * tells unmatched lines by it) and a field before it cannot take its first word. Anything else: a run
 * without spaces, or a list of them, as an X-Forwarded-For header or nginx's upstream variables write
 * one when a request went to several upstreams (`0.012, 0.034`, `0.001 : 0.002`).
 */
function fieldPattern(role: FieldRole, before: Piece | undefined, after: Piece | undefined): string {
  const quoted = before && 'literal' in before && before.literal.endsWith('"') && after && 'literal' in after && after.literal.startsWith('"');
  if (role.role === 'time') return quoted ? '(?:[^"\\\\]|\\\\.)+' : timePattern(role.time);
  if (role.role === 'time_fraction') return '\\d+';
  if (quoted) return '(?:[^"\\\\]|\\\\.)*';
  return '(?:\\S*[^\\s,])?(?:(?:, | : )\\S+)*';
}

function timePattern(time: TimeKind): string {
  switch (time.kind) {
    case 'clf':
      // Apache's %t brings its brackets; nginx's $time_local has none (the layout's are literals).
      return '\\[[^\\]]+\\]|\\S+ [+-]\\d{4}';
    case 'iso8601':
      return '\\S+';
    case 'epoch':
      return '\\d+(?:\\.\\d+)?';
    case 'strftime':
      // One run of non-spaces per word of the layout; ' +' because %e pads with a space.
      return time.format.trim().split(/\s+/).map(() => '\\S+').join(' +');
  }
}
