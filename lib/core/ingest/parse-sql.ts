/**
 * Parsing, locally: one DuckDB SELECT per log format that turns raw lines into the pre-normalised
 * request columns (see PARSED_COLUMNS), plus a `reason` for every line that could not be read
 * (NULL for good lines) and the `raw` text of rejected lines only.
 *
 * This is the local counterpart of the Glue table definitions in AWS: Athena parses with RegexSerDe,
 * DuckDB with string splitting (several times faster than a regular expression per line, which is
 * what keeps ingest above 250k lines/s). Everything after this layer is shared SQL.
 *
 * Lines are read as one VARCHAR column; a line DuckDB cannot decode (invalid UTF-8), or longer than
 * its maximum, is recorded in DuckDB's reject table (READER_REJECTS) and counted by the caller.
 */
import { escapeRegex } from '../escape-regex';
import { dialectFor, sqlString } from '../sql/dialect';
import { REQUEST_COLUMNS, type LogFormat } from '../types';
import type { CompiledLogFormat, FieldRole, TimeKind } from './log-format';
import { carriedLineSql, type Carrier } from './line-carriers';
import { normalizeSql } from './normalize-requests';

/** Columns every format's SELECT produces, in this order (the URL is normalised after it). */
const RAW_REQUEST_COLUMNS = [
  't_start', 't_end', 'client_ip', 'user_agent', 'session_key', 'host', 'method', 'url', 'status', 'response_ms',
  'reason', 'raw', 'raw_file',
] as const;

/** Canonical column names of JSON lines and CSV inputs; `columnMap` renames them to the file's own. */
export type CanonicalColumn =
  | 'session_id' | 'timestamp' | 'path' | 'method' | 'status' | 'response_time_ms' | 'response_time_s' | 'response_time_ns' | 'user_agent'
  | 'client_ip' | 'request' | 'host';
export const CANONICAL_COLUMNS: readonly CanonicalColumn[] = [
  'session_id', 'timestamp', 'path', 'method', 'status', 'response_time_ms', 'response_time_s', 'response_time_ns', 'user_agent', 'client_ip',
  'request', 'host',
];

/** Encodings DuckDB reads besides UTF-8. */
export type ReadEncoding = 'utf-16' | 'latin-1';

export interface ParseSpec {
  format: LogFormat;
  files: readonly string[];
  /** The files' text encoding when it is not UTF-8, by DuckDB's name for it (UTF-16 is read little-endian). */
  encoding?: ReadEncoding;
  /** Zstandard-compressed, whatever the files' names (DuckDB knows gzip and zstd files by name only). */
  compression?: 'zstd';
  /** How a log pipeline carries the lines (line-carriers.ts): they are taken out of it before the parse. */
  carrier?: Carrier;
  /** Tag each row with its source file as `file_id` (fileIdSql; the refresh cache needs it). */
  keepFile?: boolean;
  /** CloudFront: field names from `#Fields`. */
  cloudfrontFields?: readonly string[];
  /** CloudFront, --log-format: name of the cookie that carries the session id, if any. */
  sessionCookie?: string;
  /** --log-format: the layout of combined-like logs (log-format.ts), read instead of the combined parse. */
  logFormat?: CompiledLogFormat;
  /** --log-format without a session cookie: the names a session cookie commonly has (config.ts). */
  sessionCookieNames?: readonly string[];
  /** CSV: header names, or undefined for a header-less file (then columnMap must use 1-based positions). */
  csvHeader?: readonly string[];
  /** CSV: column count, which decides DuckDB's names for header-less columns (column0 or column00). */
  csvColumns?: number;
  /** JSON/CSV: canonical column -> the file's column name (JSON: or a nested path, jsonPaths; CSV: or a 1-based position). */
  columnMap?: Partial<Record<CanonicalColumn, string>>;
}

/** Longest rejected line kept as a sample (the rest is cut). */
const RAW_SAMPLE_CHARS = 300;
/** A delimiter that does not occur in text logs, so read_csv yields whole lines. */
const LINE_DELIM = '\u0001';

/** DuckDB's tables of the lines its reader rejected, and of the scans that read them (READER_REJECTS). */
export const REJECTS_TABLES = { rejects: 'lp_rejects', scans: 'lp_reject_scans' } as const;

/**
 * Lines DuckDB's reader rejected before the parse saw them: one row per line (file, line, reason, text
 * cut as samples are). A line that is not UTF-8 is `invalid_encoding` (DuckDB records an error per field
 * it cannot decode, so a CSV line may have several rows there); one past DuckDB's maximum line size
 * (2 MB), `line_too_long`; anything else by DuckDB's error type.
 */
export const READER_REJECTS = `(
  SELECT s.file_path AS file, r.line,
    CASE WHEN bool_or(r.error_type = 'LINE SIZE OVER MAXIMUM') THEN 'line_too_long'
         WHEN bool_or(r.error_type = 'INVALID ENCODING') THEN 'invalid_encoding'
         ELSE lower(replace(min(r.error_type), ' ', '_')) END AS reason,
    left(min(r.csv_line), ${RAW_SAMPLE_CHARS}) AS raw
  FROM ${REJECTS_TABLES.rejects} r JOIN ${REJECTS_TABLES.scans} s ON s.scan_id = r.scan_id AND s.file_id = r.file_id
  GROUP BY s.file_path, r.line
) reader_rejects`;

export function linesSource(input: FileSet): string {
  const read = `read_csv(${fileList(input)}, columns = {'line': 'VARCHAR'}, delim = '${LINE_DELIM}', quote = '', escape = '',
    header = false, auto_detect = false, filename = true, store_rejects = true, rejects_table = '${REJECTS_TABLES.rejects}', rejects_scan = '${REJECTS_TABLES.scans}')`;
  if (!input.carrier) return read;
  return `(SELECT ${carriedLineSql(input.carrier, 'line')} AS line, filename FROM ${read}) carried_lines`;
}

/** The files one parse query reads, with their encoding, compression and carrier. */
type FileSet = Pick<ParseSpec, 'files' | 'encoding' | 'compression' | 'carrier'>;

/** read_csv's file list, its encoding when the text is not UTF-8 and its compression when not known by name. */
function fileList(input: FileSet): string {
  const encoding = input.encoding ? `, encoding = ${sqlString(input.encoding)}` : '';
  const compression = input.compression ? `, compression = ${sqlString(input.compression)}` : '';
  return `[${input.files.map(readerPath).join(', ')}]${encoding}${compression}`;
}

/**
 * A file's path as DuckDB's readers take it, quoted. They read a path as a glob, with no escape: a log
 * named `*.log` would also read every other .log beside it. Each glob character is put in a class of
 * its own (`[*]`), which matches that character only; the rows' `filename` is the file's own path.
 */
export function readerPath(file: string): string {
  return sqlString(file.replace(/[*?[]/g, (c) => `[${c}]`));
}

/**
 * A file's lines read apart from the parse (its head for sniffing, or all of them to check that it
 * decompresses), without reject tables (they count the parse's lines only) and skipping lines that
 * are not one column; Latin-1 maps each byte to one character, so the caller gets the bytes back.
 * A small read buffer: sniffing needs the first lines, and the default one decompresses megabytes
 * (10 ms a file, where this takes 2.5).
 */
export function headLinesSource(file: string, compression: 'zstd'): string {
  return `read_csv(${fileList({ files: [file], compression, encoding: 'latin-1' })}, columns = {'line': 'VARCHAR'}, delim = '${LINE_DELIM}',
    quote = '', escape = '', header = false, auto_detect = false, ignore_errors = true, buffer_size = 65536)`;
}

/**
 * Lenient time parsing: ISO-8601, epoch seconds, milliseconds, microseconds or nanoseconds (Cloudflare's
 * default), Common Log Format with or without zone, and with or without a fraction of a second (Apache's
 * `%{msec_frac}t`, `%{usec_frac}t`). The fractional forms come last: they are tried only when the usual
 * ones fail.
 */
export function parseTimeSql(x: string): string {
  const clf = (format: string) => `try_strptime(trim(${x}, '[]'), '${format}')`;
  return `CASE
    WHEN regexp_full_match(${x}, '\\d{9,10}(\\.\\d+)?') THEN TRY_CAST(${x} AS DOUBLE)
    WHEN regexp_full_match(${x}, '\\d{12,13}') THEN TRY_CAST(${x} AS DOUBLE) / 1000
    WHEN regexp_full_match(${x}, '\\d{15,16}') THEN TRY_CAST(${x} AS DOUBLE) / 1000000
    WHEN regexp_full_match(${x}, '\\d{18,19}') THEN TRY_CAST(${x} AS DOUBLE) / 1000000000
    ELSE epoch(COALESCE(
      TRY_CAST(${x} AS TIMESTAMPTZ),
      ${clf('%d/%b/%Y:%H:%M:%S %z')},
      ${clf('%d/%b/%Y:%H:%M:%S')},
      ${clf('%d/%b/%Y:%H:%M:%S.%f %z')},
      ${clf('%d/%b/%Y:%H:%M:%S.%f')}))
  END`;
}

/**
 * Quoted fields escape `"` as `\"`; these become `%22` so that splitting on `"` finds the fields. The
 * replace copies the whole line, so it runs only on the rare lines that hold an escaped quote (it was a
 * fifth of the ALB parse).
 */
function unescapeQuotes(line: string): string {
  return `CASE WHEN contains(${line}, '\\"') THEN replace(${line}, '\\"', '%22') ELSE ${line} END`;
}

/** `203.0.113.7:51234` or `[2001:db8::7]:51234`: the address in group 1 or 2. */
const ADDRESS_WITH_PORT = '^(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d+$|^\\[([0-9A-Fa-f:.]+)\\]:\\d+$';

/**
 * A client address without its port. Logged with one (Envoy's downstream address, Go's RemoteAddr), it
 * names the connection, not the client: each new connection would start a new session.
 */
function withoutPortSql(address: string): string {
  return `regexp_replace(${address}, '${ADDRESS_WITH_PORT}', '\\1\\2')`;
}

/**
 * The client sent no request: the server logged `-` or nothing for it (a 408 after an idle connection,
 * a health check's bare connect). Nothing to replay, and nothing wrong with the log: counted as
 * `no_request`, apart from requests that are there but cannot be read (`bad_request`).
 */
export function sentNoRequestSql(method: string): string {
  return `COALESCE(${method}, '') IN ('-', '')`;
}

/** A request line whose method is `-` or whose target is neither a path nor an absolute URL. */
function unreadableRequest(method: string, url: string): string {
  return `${method} = '-' OR NOT starts_with(${url}, '/') AND NOT regexp_matches(${url}, '^https?://')`;
}

/** A rejected line keeps its text (cut) for the manifest's samples; good lines keep nothing. */
function rawWhenRejected(): string {
  return `CASE WHEN reason IS NOT NULL THEN left(line, ${RAW_SAMPLE_CHARS}) END AS raw,
    CASE WHEN reason IS NOT NULL THEN filename END AS raw_file`;
}

function finish(inner: string): string {
  return `SELECT ${RAW_REQUEST_COLUMNS.filter((c) => c !== 'raw' && c !== 'raw_file').join(', ')}, ${rawWhenRejected()}, ${fileIdSql('filename')} AS file_id FROM (${inner})`;
}

/**
 * ALB: `type time elb client:port target:port rpt tpt respt elb_status target_status rbytes sbytes
 * "request" "user_agent" cipher proto tg_arn "trace" "domain" "cert" priority request_creation_time
 * "actions" ...`. Splitting on `"` puts the 12 leading fields in p[1], the request in p[2], the user
 * agent in p[4], the domain in p[8] and `priority request_creation_time` in p[11]. `time` is when the
 * response was sent; request_creation_time when the request arrived: both are kept for what they mean.
 */
/** ALB's timestamp layout: parsing with an explicit format is several times cheaper than a cast. */
const ALB_TIME = '%Y-%m-%dT%H:%M:%S.%fZ';

function albSql(files: FileSet): string {
  return finish(`
    SELECT line, filename, t_start, t_end, client_ip, user_agent, NULL::VARCHAR AS session_key, host, method, url, status,
      CASE WHEN t_start IS NOT NULL AND t_end IS NOT NULL THEN (t_end - t_start) * 1000
           ELSE (greatest(rpt, 0) + greatest(tpt, 0) + greatest(respt, 0)) * 1000 END AS response_ms,
      CASE WHEN len(h) < 12 OR len(p) < 5 THEN 'unrecognized_line'
           WHEN t_end IS NULL THEN 'bad_timestamp'
           WHEN ${sentNoRequestSql('method')} THEN 'no_request'
           WHEN url IS NULL OR url = '-' THEN 'bad_request'
           WHEN status IS NULL THEN 'bad_status' END AS reason
    FROM (
      SELECT line, filename,
        string_split(${unescapeQuotes('line')}, '"') AS p,
        string_split(p[1], ' ') AS h,
        string_split(p[2], ' ') AS rq,
        epoch(COALESCE(try_strptime(h[2], '${ALB_TIME}'), TRY_CAST(h[2] AS TIMESTAMP))) AS t_end,
        TRY_CAST(h[6] AS DOUBLE) AS rpt, TRY_CAST(h[7] AS DOUBLE) AS tpt, TRY_CAST(h[8] AS DOUBLE) AS respt,
        COALESCE(epoch(try_strptime(split_part(trim(p[11]), ' ', 2), '${ALB_TIME}')),
                 t_end - (greatest(rpt, 0) + greatest(tpt, 0) + greatest(respt, 0))) AS t_start,
        left(h[4], length(h[4]) - strpos(reverse(h[4]), ':')) AS client_ip,
        p[4] AS user_agent,
        NULLIF(NULLIF(p[8], '-'), '') AS host,
        rq[1] AS method, rq[2] AS url,
        TRY_CAST(h[9] AS INTEGER) AS status
      FROM ${linesSource(files)}
      WHERE line IS NOT NULL AND line <> ''
    )`);
}

/** The first address of an X-Forwarded-For list (IPv4 or IPv6), as nginx's `main` logs it after the agent. */
const FORWARDED_CLIENT = '^\\s*(\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)\\s*(?:,|$)';
/** ingress-nginx's `upstreaminfo` after the agent: `$request_length $request_time [$proxy_upstream_name] `. */
const UPSTREAMINFO_TAIL = '^\\d+ \\d+\\.\\d+ \\[';
/**
 * nginx's `$request_time` (seconds, a decimal) first after the agent, alone or followed by more fields
 * (`$request_time $upstream_response_time`, the most common timed layout).
 */
const LEADING_SECONDS = '^(\\d+\\.\\d+)(?:\\s|$)';
/** nginx's `rt=$request_time` (the `upstream_time` layout of nginx's documentation), or `request_time=`. */
const KEYED_SECONDS = '(?:^|\\s)(?:rt|request_time)=(\\d+(?:\\.\\d+)?)(?:\\s|$)';

/**
 * nginx/Apache combined: `ip ident user [time] "request" status bytes "referer" "agent"`, or the
 * Common Log Format that ends after `bytes` (Apache's `common`, and old logs such as NASA's of 1995:
 * no agent, which reads as "-"); a line with a referer but no agent is neither. Apache's
 * `vhost_combined` (Debian's other_vhosts_access.log) puts `host:port` first: the time is then the
 * fifth field, not the fourth, and the host is kept.
 *
 * After the agent, the request time where the common layouts put it:
 * - a decimal first, alone or before more fields: nginx's $request_time in seconds (`$request_time
 *   $upstream_response_time` is the most common timed layout);
 * - `rt=` or `request_time=` among the fields (the `upstream_time` layout of nginx's documentation);
 * - the second field of ingress-nginx's `upstreaminfo`, Kubernetes' most common ingress
 *   (`$request_length $request_time [$proxy_upstream_name] ...`);
 * - Traefik's default: a request count, the quoted router and server, then `<ms>ms` (stamped at the start);
 * - an integer alone: Apache's %D, in microseconds;
 * - nginx's `main` puts a quoted X-Forwarded-For after the agent, whose first address names the client:
 *   a decimal right after it is the request time.
 * Other fields after the agent are ignored. nginx writes the entry when the response ends ($time_local),
 * Apache stamps the request's arrival (%t): with a $request_time the start is the stamp minus it.
 */
function combinedSql(files: FileSet): string {
  return finish(`
    SELECT line, filename,
      CASE WHEN logged_at_end THEN t_logged - response_ms / 1000 ELSE t_logged END AS t_start,
      CASE WHEN logged_at_end THEN t_logged ELSE t_logged + COALESCE(response_ms, 0) / 1000 END AS t_end,
      client_ip, user_agent, NULL::VARCHAR AS session_key, host, method, url, status, response_ms,
      CASE WHEN len(h) < 4 OR len(p) < 3 OR len(p) BETWEEN 4 AND 5 THEN 'unrecognized_line'
           WHEN t_logged IS NULL THEN 'bad_timestamp'
           WHEN ${sentNoRequestSql('method')} THEN 'no_request'
           WHEN len(rq) < 2 OR ${unreadableRequest('method', 'url')} THEN 'bad_request'
           WHEN status IS NULL THEN 'bad_status' END AS reason
    FROM (
      SELECT line, filename,
        string_split(${unescapeQuotes('line')}, '"') AS p,
        string_split(trim(p[1]), ' ') AS h,
        string_split(p[2], ' ') AS rq,
        COALESCE(starts_with(h[5], '['), false) AS vhost,
        -- nginx's \`main\` ends with "$http_x_forwarded_for": behind a load balancer, the client is its
        -- first address, not $remote_addr (which is the balancer's, and would merge every visitor).
        CASE WHEN len(p) >= 8 AND trim(p[7]) = '' THEN NULLIF(regexp_extract(p[8], '${FORWARDED_CLIENT}', 1), '') END AS forwarded,
        COALESCE(forwarded, CASE WHEN vhost THEN h[2] ELSE h[1] END) AS client_ip,
        CASE WHEN vhost THEN NULLIF(regexp_replace(h[1], ':\\d+$', ''), '') END AS host,
        ${parseTimeSql(`split_part(split_part(p[1], '[', 2), ']', 1)`)} AS t_logged,
        rq[1] AS method, rq[2] AS url,
        TRY_CAST(split_part(trim(p[3]), ' ', 1) AS INTEGER) AS status,
        COALESCE(p[6], '-') AS user_agent,
        trim(COALESCE(p[7], '')) AS tail,
        -- What follows a quoted field right after the agent (nginx's "$http_x_forwarded_for").
        CASE WHEN len(p) >= 9 AND tail = '' THEN trim(p[9]) ELSE '' END AS forwarded_tail,
        CASE WHEN forwarded_tail <> '' THEN NULLIF(regexp_extract(forwarded_tail, '${LEADING_SECONDS}', 1), '')
             WHEN tail = '' THEN NULL
             WHEN regexp_matches(tail, '${UPSTREAMINFO_TAIL}') THEN split_part(tail, ' ', 2)
             ELSE COALESCE(NULLIF(regexp_extract(tail, '${LEADING_SECONDS}', 1), ''), NULLIF(regexp_extract(tail, '${KEYED_SECONDS}', 1), '')) END AS seconds,
        -- Traefik's default: a request count, "router", "server URL", then the duration (\`25ms\`).
        CASE WHEN len(p) >= 11 AND regexp_full_match(tail, '\\d+') AND regexp_full_match(trim(p[11]), '\\d+ms')
             THEN TRY_CAST(rtrim(trim(p[11]), 'ms') AS DOUBLE) END AS traefik_ms,
        CASE WHEN seconds IS NOT NULL THEN TRY_CAST(seconds AS DOUBLE) * 1000
             WHEN traefik_ms IS NOT NULL THEN traefik_ms
             WHEN regexp_full_match(tail, '\\d+') THEN TRY_CAST(tail AS DOUBLE) / 1000 END AS response_ms,
        seconds IS NOT NULL AS logged_at_end
      FROM ${linesSource(files)}
      WHERE line IS NOT NULL AND line <> ''
    )`);
}

/**
 * A layout given with `--log-format` (log-format.ts): one regular expression splits each line into its
 * fields, which are read by the role they play. A line the expression does not match has no time
 * field (the time's pattern is never empty), and reads as `unrecognized_line`.
 */
function customSql(files: FileSet, layout: CompiledLogFormat, sessionCookies: readonly string[]): string {
  const field = (i: number) => `m.f${i + 1}`;
  const fieldsOf = <R extends FieldRole['role']>(role: R) =>
    layout.fields.flatMap((f, i) => (f.role.role === role ? [{ at: field(i), role: f.role as Extract<FieldRole, { role: R }> }] : []));
  const first = (role: FieldRole['role']) => fieldsOf(role)[0]?.at;
  const cleaned = (x: string | undefined) => (x ? `NULLIF(NULLIF(${x}, '-'), '')` : 'NULL::VARCHAR');
  const time = fieldsOf('time')[0]!;
  const fraction = fieldsOf('time_fraction')[0];
  const durations = fieldsOf('duration').sort((a, b) => a.role.rank - b.role.rank);
  const status = fieldsOf('status').sort((a, b) => Number(b.role.final) - Number(a.role.final))[0]!;
  const cookie = fieldsOf('cookie').find((c) => sessionCookies.some((n) => n.toLowerCase() === c.role.name.toLowerCase()))?.at ?? first('visitor_id');
  const cookieHeader = sessionCookies.length > 0 ? first('cookie_header') : undefined;
  const forwarded = first('forwarded_for');
  const request = first('request');
  const uri = first('uri') ?? first('path');
  const query = first('uri') ? undefined : first('query');
  const names = layout.fields.map((_, i) => `'f${i + 1}'`).join(', ');
  return finish(`
    SELECT line, filename,
      ${time.role.atEnd ? 't_logged - COALESCE(response_ms, 0) / 1000' : 't_logged'} AS t_start,
      ${time.role.atEnd ? 't_logged' : 't_logged + COALESCE(response_ms, 0) / 1000'} AS t_end,
      client_ip, user_agent, session_key, host, method, url, status, response_ms,
      CASE WHEN ${time.at} = '' THEN 'unrecognized_line'
           WHEN t_logged IS NULL THEN 'bad_timestamp'
           WHEN ${sentNoRequestSql('method')} THEN 'no_request'
           WHEN url IS NULL OR ${unreadableRequest('method', 'url')} THEN 'bad_request'
           WHEN status IS NULL THEN 'bad_status' END AS reason
    FROM (
      SELECT line, filename, m,
        ${timeSql(time.role.time, time.at)}${fraction ? ` + COALESCE(TRY_CAST(${fraction.at} AS DOUBLE) / ${fraction.role.perSecond}, 0)` : ''} AS t_logged,
        ${durations.length > 0 ? `COALESCE(${durations.map(durationMsSql).join(', ')})` : 'NULL::DOUBLE'} AS response_ms,
        COALESCE(${forwarded ? `${cleaned(`trim(split_part(${forwarded}, ',', 1))`)}, ` : ''}${cleaned(first('client') && withoutPortSql(first('client')!))}, '-') AS client_ip,
        -- IIS writes a space in a value as '+'; quoted fields escape their quotes.
        COALESCE(${cleaned(first('user_agent') && (layout.dialect === 'w3c' ? `replace(${first('user_agent')}, '+', ' ')` : `replace(${first('user_agent')}, '\\"', '"')`))}, '-') AS user_agent,
        ${cookie ? cleaned(cookie) : cookieHeader ? `NULLIF(${cookieValueSql(cookieHeader, sessionCookies)}, '')` : 'NULL::VARCHAR'} AS session_key,
        ${cleaned(first('host') && `regexp_replace(${first('host')}, ':\\d+$', '')`)} AS host,
        ${request ? `string_split(${unescapeQuotes(request)}, ' ')` : 'NULL::VARCHAR[]'} AS rq,
        ${request ? 'rq[1]' : cleaned(first('method'))} AS method,
        ${request ? 'rq[2]' : `${cleaned(uri)}${query ? ` || CASE WHEN ${query} IN ('', '-', '?') THEN '' WHEN starts_with(${query}, '?') THEN ${query} ELSE '?' || ${query} END` : ''}`} AS url,
        TRY_CAST(${status.at} AS INTEGER) AS status
      FROM (
        SELECT line, filename, regexp_extract(line, ${sqlString(layout.regex)}, [${names}]) AS m
        FROM ${linesSource(files)}
        WHERE line IS NOT NULL AND line <> ''${layout.dialect === 'w3c' ? " AND NOT starts_with(line, '#')" : ''}
      )
    )`);
}

/** A layout's duration field in milliseconds; a negative one (HAProxy's -1: the request was aborted) is unknown. */
function durationMsSql(d: { at: string; role: { toMs: number } }): string {
  const value = `TRY_CAST(${d.at} AS DOUBLE)`;
  return `CASE WHEN ${value} >= 0 THEN ${value} * ${d.role.toMs} END`;
}

function timeSql(time: TimeKind, x: string): string {
  switch (time.kind) {
    case 'clf':
    case 'iso8601':
      return `(${parseTimeSql(x)})`;
    case 'strftime':
      return `epoch(try_strptime(${x}, ${sqlString(strptimeFormat(time.format))}))`;
    case 'epoch':
      return `TRY_CAST(${x} AS DOUBLE) / ${time.perSecond}`;
  }
}

/** strftime shorthands DuckDB's strptime does not take, spelt out. */
function strptimeFormat(format: string): string {
  const shorthands: Record<string, string> = { '%T': '%H:%M:%S', '%F': '%Y-%m-%d', '%D': '%m/%d/%y', '%R': '%H:%M' };
  return format.replace(/%[TFDR]/g, (s) => shorthands[s]!);
}

/** The value of the first of `names` in a Cookie header ('' when none is there). */
function cookieValueSql(header: string, names: readonly string[]): string {
  return `regexp_extract(${header}, ${sqlString(`(?:^|[;\\s])(?:${names.map(escapeRegex).join('|')})=([^;\\s]+)`)}, 1)`;
}

/** CloudFront standard logs: tab-separated, positions from `#Fields`, user agent URL-encoded. */
function cloudfrontSql(files: FileSet, fields: readonly string[], sessionCookie?: string): string {
  const at = (name: string): string => {
    const i = fields.indexOf(name);
    return i < 0 ? 'NULL::VARCHAR' : `NULLIF(f[${i + 1}], '-')`;
  };
  const cookie = sessionCookie ? cookieValueSql(`url_decode(COALESCE(${at('cs(Cookie)')}, ''))`, [sessionCookie]) : `''`;
  return finish(`
    SELECT line, filename, t_end - COALESCE(taken, 0) AS t_start, t_end, client_ip, user_agent,
      NULLIF(session_key, '') AS session_key, host, method, url, status, taken * 1000 AS response_ms,
      CASE WHEN len(f) < 9 THEN 'unrecognized_line'
           WHEN t_end IS NULL THEN 'bad_timestamp'
           WHEN method IS NULL OR url IS NULL THEN 'bad_request'
           WHEN status IS NULL THEN 'bad_status' END AS reason
    FROM (
      SELECT line, filename, string_split(line, '\t') AS f,
        epoch(TRY_CAST(${at('date')} || ' ' || ${at('time')} AS TIMESTAMPTZ)) AS t_end,
        TRY_CAST(${at('time-taken')} AS DOUBLE) AS taken,
        ${at('c-ip')} AS client_ip,
        url_decode(url_decode(COALESCE(${at('cs(User-Agent)')}, '-'))) AS user_agent,
        ${cookie} AS session_key,
        COALESCE(${at('x-host-header')}, ${at('cs(Host)')}) AS host,
        ${at('cs-method')} AS method,
        ${at('cs-uri-stem')} || CASE WHEN ${at('cs-uri-query')} IS NULL THEN '' ELSE '?' || ${at('cs-uri-query')} END AS url,
        TRY_CAST(${at('sc-status')} AS INTEGER) AS status
      FROM ${linesSource(files)}
      WHERE line IS NOT NULL AND line <> '' AND NOT starts_with(line, '#')
    )`);
}

/** Common tail of JSON lines and CSV: the canonical columns (as VARCHAR) to request columns. */
function recordSql(source: string, col: (c: CanonicalColumn) => string, lineExpr: string, explicitFilter: string): string {
  return finish(`
    SELECT line, filename, t_start, t_start + COALESCE(response_ms, 0) / 1000 AS t_end, client_ip, user_agent, session_key,
      host, method, url, status, response_ms,
      CASE WHEN bad_record THEN 'invalid_record'
           WHEN t_start IS NULL THEN 'bad_timestamp'
           -- A method is a word: a column that holds something else (Caddy's \`request\` object, read
           -- as a request line) is no request, and must not reach the model as one.
           WHEN url IS NULL OR method IS NULL OR NOT regexp_full_match(method, '[A-Z]+') THEN 'bad_request'
           WHEN status IS NULL THEN 'bad_status' END AS reason
    FROM (
      SELECT ${lineExpr} AS line, filename, ${explicitFilter} AS bad_record,
        ${parseTimeSql(col('timestamp'))} AS t_start,
        -- Seconds may carry their unit (Google Cloud's \`"0.123s"\`); nanoseconds are Go's time.Duration.
        COALESCE(TRY_CAST(${col('response_time_ms')} AS DOUBLE), TRY_CAST(rtrim(${col('response_time_s')}, 's') AS DOUBLE) * 1000,
          TRY_CAST(${col('response_time_ns')} AS DOUBLE) / 1000000) AS response_ms,
        ${withoutPortSql(`COALESCE(${col('client_ip')}, '-')`)} AS client_ip,
        COALESCE(${col('user_agent')}, '-') AS user_agent,
        NULLIF(${col('session_id')}, '') AS session_key,
        ${col('host')} AS host,
        upper(COALESCE(${col('method')}, split_part(${col('request')}, ' ', 1))) AS method,
        COALESCE(${col('path')}, split_part(${col('request')}, ' ', 2)) AS url,
        TRY_CAST(${col('status')} AS INTEGER) AS status
      FROM ${source}
    )`);
}

function jsonlSql(files: FileSet, columnMap: ParseSpec['columnMap'] = {}): string {
  const col = (c: CanonicalColumn) => {
    const values = jsonPaths(columnMap[c] ?? c).map((p) => `json_extract_string(j, ${sqlString(p)})`);
    return `NULLIF(${values.length > 1 ? `COALESCE(${values.join(', ')})` : values[0]!}, '')`;
  };
  const source = `(SELECT line, filename, CASE WHEN json_valid(line) AND starts_with(ltrim(line), '{') THEN line::JSON END AS j
    FROM ${linesSource(files)} WHERE line IS NOT NULL AND trim(line) <> '')`;
  return recordSql(source, col, 'line', 'j IS NULL');
}

function csvSql(files: FileSet, header: readonly string[] | undefined, columns: number, columnMap: ParseSpec['columnMap'] = {}): string {
  const width = String(Math.max(columns - 1, 0)).length;
  const source = `read_csv(${fileList(files)}, header = ${header ? 'true' : 'false'}, all_varchar = true, null_padding = true,
    normalize_names = false, filename = true, store_rejects = true, rejects_table = '${REJECTS_TABLES.rejects}', rejects_scan = '${REJECTS_TABLES.scans}')`;
  const col = (c: CanonicalColumn): string => {
    const mapped = columnMap[c];
    if (!header) {
      // Header-less CSV: columns are named column0, column1, ...; the map gives 1-based positions.
      if (!mapped || !/^\d+$/.test(mapped) || Number(mapped) < 1 || Number(mapped) > columns) return 'NULL::VARCHAR';
      return `NULLIF(trim("column${String(Number(mapped) - 1).padStart(width, '0')}"), '')`;
    }
    // A 1-based position reads the column there, with or without a header.
    const name = mapped && /^\d+$/.test(mapped) ? (header[Number(mapped) - 1] ?? mapped) : (mapped ?? c);
    const present = header.some((h) => h === name.toLowerCase());
    return present ? `NULLIF(trim(${quoteIdent(actualHeaderName(header, name))}), '')` : 'NULL::VARCHAR';
  };
  return recordSql(`(SELECT * FROM ${source})`, col, `concat_ws(',', *COLUMNS(* EXCLUDE (filename)))`, 'false');
}

/**
 * JSON paths a mapped key may mean: the top-level key as written, and when it holds dots or `[n]`, the
 * nested value it spells (`request.headers.User-Agent[0]`, as Caddy logs it). The literal key is tried
 * first: flattened logs use dotted names (`http.request.method`) as plain keys.
 */
export function jsonPaths(key: string): string[] {
  const literal = `$."${key}"`;
  if (!/[.[]/.test(key)) return [literal];
  const nested = key.split('.').map((segment) => {
    const [, name, indexes] = /^(.*?)((?:\[\d+\])*)$/.exec(segment)!;
    return `."${name}"${indexes}`;
  });
  return [literal, `$${nested.join('')}`];
}

function actualHeaderName(header: readonly string[], name: string): string {
  return header.find((h) => h === name.toLowerCase()) ?? name;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Where a line came from and why it was rejected, kept next to the request columns. */
const LINE_COLUMNS = ['reason', 'raw', 'raw_file'] as const;
/** Columns of the parsed table: the normalised request columns, then the line's own. */
export const PARSED_COLUMNS: readonly string[] = [...REQUEST_COLUMNS, ...LINE_COLUMNS];

/** Types of PARSED_COLUMNS (and `file`), for a parsed table with no rows. */
const PARSED_TYPES: Record<string, string> = {
  t_start: 'DOUBLE', t_end: 'DOUBLE', status: 'INTEGER', response_ms: 'DOUBLE', file_id: 'BIGINT',
};

/** An empty parsed relation with `file_id` (a refresh whose every file comes from the cache). */
export function emptyParsedSql(): string {
  return `SELECT ${[...PARSED_COLUMNS, 'file_id'].map((c) => `CAST(NULL AS ${PARSED_TYPES[c] ?? 'VARCHAR'}) AS ${c}`).join(', ')} LIMIT 0`;
}

/**
 * A row's source file as a BIGINT (a hash of its path, as read): eight bytes per row where the path
 * would be a hundred, which matters because the id travels through every window pass of sessionizing.
 */
export function fileIdSql(path: string): string {
  return `CAST(hash(${path}) >> 1 AS BIGINT)`;
}

/** The parse SELECT for a set of files of one format: lines to normalised requests (rejects kept). */
export function parseSql(spec: ParseSpec): string {
  return normalizeSql(dialectFor('duckdb'), `(${formatSql(spec)}) lines`, [...LINE_COLUMNS, ...(spec.keepFile ? ['file_id'] : [])]);
}

function formatSql(spec: ParseSpec): string {
  switch (spec.format) {
    case 'alb':
      return albSql(spec);
    case 'combined':
      return spec.logFormat
        ? customSql(spec, spec.logFormat, spec.sessionCookie ? [spec.sessionCookie] : (spec.sessionCookieNames ?? []))
        : combinedSql(spec);
    case 'cloudfront':
      return cloudfrontSql(spec, spec.cloudfrontFields ?? [], spec.sessionCookie);
    case 'jsonl':
      return jsonlSql(spec, spec.columnMap);
    case 'csv':
      return csvSql(spec, spec.csvHeader, spec.csvColumns ?? spec.csvHeader?.length ?? 1, spec.columnMap);
  }
}
