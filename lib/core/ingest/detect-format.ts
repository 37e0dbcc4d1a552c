/**
 * Format detection from a file's first lines: each format has a recognisable shape, and the format
 * most sample lines agree on wins. CloudFront's `#Fields` header and a CSV header are read here too,
 * because the parse SQL needs to know where each field is.
 */
import { parseCsv } from '../csv';
import { carriedLine, carrierOf, type Carrier } from './line-carriers';
import { isReadableW3c } from './log-format';
import type { LogFormat } from '../types';

const ALB_LINE = /^(https?|h2|grpcs|wss?) \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \S+ \S+ \S+ /;
/** Combined, and Apache's vhost_combined with `host:port` in front. */
const COMBINED_LINE = /^(\S+:\d+ )?\S+ \S+ \S+ \[[^\]]+\] "/;
const CLOUDFRONT_LINE = /^\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\t/;
/**
 * Envoy's and Istio's default layouts (log-format.ts): `[start] "request" status` and then five
 * unquoted fields before the first quoted one in Envoy's (flags, bytes in, bytes out, duration, upstream
 * time), three in Istio's (flags, code details, termination details). Read as combined, with the layout.
 */
const PROXY_LINE = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\] "[^"]*" \d+((?: [^\s"]+)+) "/;
const PROXY_LAYOUTS: Readonly<Record<number, ProxyLayout>> = { 5: 'envoy', 3: 'istio' };
/** HAProxy's `option httplog` (log-format.ts), after its syslog header: `client:port [date] frontend backend/server timers status `. */
const HAPROXY_LINE = /^\S+:\d+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] \S+ \S+ (?:-?\d+\/){4}\+?-?\d+ -?\d+ /;
/**
 * The error logs that sit beside access logs in /var/log/nginx and /var/log/apache2: nginx's
 * `2026/11/28 09:15:02 [error] 1234#0: ...` and Apache's `[Sat Nov 28 09:15:02.123456 2026] [core:error] ...`
 * (2.2: `[error]`). They hold no requests to replay; their commas made them read as CSV, so a run over
 * the folder stopped on "inputs mix log formats".
 */
const ERROR_LOG_LINES = [
  /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(emerg|alert|crit|error|warn|notice|info|debug)\] \d+#\d+: /,
  /^\[(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(\.\d+)? \d{4}\] \[[\w:]+\] /,
];

/** A proxy's default layout, by its name in log-format.ts LOG_FORMAT_NAMES. */
export type ProxyLayout = 'envoy' | 'istio' | 'haproxy';

/** How a run names the proxy layout it read. */
export const PROXY_LAYOUT_NAMES: Readonly<Record<ProxyLayout, string>> = {
  envoy: "Envoy's default access-log layout",
  istio: "Istio's default access-log layout",
  haproxy: "HAProxy's httplog layout",
};

/** How a run names the layout it made from an IIS log's `#Fields`. */
export const W3C_LAYOUT_NAME = "IIS's W3C extended log by its #Fields";

export interface FormatSniff {
  format: LogFormat | undefined;
  /** combined: the proxy layout the lines are written in (read with it, as `--log-format` would). */
  layout?: ProxyLayout;
  /** CloudFront field names in order, from `#Fields:`. */
  cloudfrontFields?: string[];
  /** CSV header names (lower-cased), or undefined when the CSV has no header. */
  csvHeader?: string[];
  /** CSV: number of columns on the first line (names DuckDB's columns of a header-less file). */
  csvColumns?: number;
  /** No format: the lines are a web server's error log, not an access log. */
  errorLog?: true;
  /** No format: the lines are Envoy's, in a layout of its own (`--log-format` reads them). */
  proxyLayout?: true;
  /** How a log pipeline carries the lines (line-carriers.ts): the format is that of the lines it carries. */
  carrier?: Carrier;
  /** combined: IIS's W3C extended log (space-separated) with these `#Fields`, read with the layout they make (log-format.ts w3cLayout). */
  w3cFields?: string[];
}

/** CloudFront standard log fields, in the documented order, for files without a `#Fields` line. */
export const CLOUDFRONT_DEFAULT_FIELDS = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
  'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id',
  'x-host-header', 'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher',
  'x-edge-response-result-type', 'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port',
  'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type', 'sc-content-len', 'sc-range-start',
  'sc-range-end',
];

const CSV_KNOWN_COLUMNS = [
  'session_id', 'timestamp', 'path', 'method', 'status', 'response_time_ms', 'response_time_s', 'user_agent', 'client_ip', 'request', 'url',
];

/** Lines a format is told by. */
const SAMPLE_LINES = 20;

export function detectFormat(lines: readonly string[]): FormatSniff {
  // Lines carried by a log pipeline: the format is that of the lines it carries. Lines of no format
  // behind a header (a program's own messages) are told by themselves, below.
  const carrier = carrierOf(lines.slice(0, SAMPLE_LINES));
  if (carrier) {
    const inner = detectFormat(lines.map((l) => carriedLine(l, carrier)));
    if (inner.format) return { ...inner, carrier };
    if (inner.errorLog || inner.proxyLayout) return inner;
  }
  const fieldsLine = lines.find((l) => l.startsWith('#Fields:'));
  if (fieldsLine || lines[0]?.startsWith('#Version:')) {
    const fields = fieldsLine ? fieldsLine.slice('#Fields:'.length).trim().split(/\s+/) : CLOUDFRONT_DEFAULT_FIELDS;
    // IIS writes W3C's extended format as CloudFront does, with spaces between the fields instead of tabs.
    const row = lines.find((l) => !l.startsWith('#'));
    if (fieldsLine && row !== undefined && !row.includes('\t') && row.trim().split(' ').length === fields.length) {
      return isReadableW3c(fields) ? { format: 'combined', w3cFields: fields } : { format: undefined };
    }
    return { format: 'cloudfront', cloudfrontFields: fields };
  }
  const data = lines.filter((l) => !l.startsWith('#')).slice(0, SAMPLE_LINES);
  if (data.length === 0) return { format: undefined };
  const votes: Partial<Record<LogFormat | ProxyLayout | 'proxy' | 'error-log', number>> = {};
  const vote = (f: LogFormat | ProxyLayout | 'proxy' | 'error-log') => (votes[f] = (votes[f] ?? 0) + 1);
  // A CSV's rows have as many cells as each other (a header may have one more: DuckDB pads the rows);
  // prose with commas in it has not. Counted only once a line is left to CSV's vote: a run over
  // thousands of ALB files (user agents hold commas) spent a fifth of its sniffing parsing them as CSV.
  let csvWidth: { cells: number | undefined } | undefined;
  const rowWidth = () => (csvWidth ??= { cells: mostCommon(data.filter((l) => l.includes(',')).map(cellCount)) }).cells;
  for (const l of data) {
    if (ALB_LINE.test(l)) vote('alb');
    else if (COMBINED_LINE.test(l)) vote('combined');
    else if (CLOUDFRONT_LINE.test(l)) vote('cloudfront');
    else if (PROXY_LINE.test(l)) vote(proxyLayoutOf(l) ?? 'proxy');
    else if (HAPROXY_LINE.test(l)) vote('haproxy');
    else if (ERROR_LOG_LINES.some((r) => r.test(l))) vote('error-log');
    else if (l.trimStart().startsWith('{') && jsonObjectOf(l)) vote('jsonl');
    else if (l.includes(',') && cellCount(l) === rowWidth()) vote('csv');
  }
  const [best, count] = Object.entries(votes).sort((a, b) => b[1] - a[1])[0] ?? [];
  // A format must explain most of the sample: a few junk lines are fine, a different file is not.
  if (!best || (count ?? 0) < Math.ceil(data.length / 2)) return { format: undefined };
  if (best === 'error-log') return { format: undefined, errorLog: true };
  if (best === 'envoy' || best === 'istio' || best === 'haproxy') return { format: 'combined', layout: best };
  if (best === 'proxy') return { format: undefined, proxyLayout: true };
  const format = best as LogFormat;
  if (format === 'cloudfront') return { format, cloudfrontFields: CLOUDFRONT_DEFAULT_FIELDS };
  if (format === 'csv') {
    const cells = (line: string | undefined) => (parseCsv(line ?? '')[0] ?? []).map((c) => c.trim().toLowerCase());
    const numeric = (line: string | undefined) => cells(line).some((c) => /^\d/.test(c));
    const first = cells(data[0]);
    // A header names columns, so no cell of it is a number; the rows under it hold times and statuses.
    // Names need not be canonical ones (`--columns timestamp=when` maps them).
    const hasHeader = !numeric(data[0]) && (first.some((c) => CSV_KNOWN_COLUMNS.includes(c)) || data.slice(1).some(numeric));
    return hasHeader ? { format, csvHeader: first, csvColumns: first.length } : { format, csvColumns: first.length };
  }
  return { format };
}

/** Which proxy's default layout a PROXY_LINE is in, by its unquoted fields after the status. */
function proxyLayoutOf(line: string): ProxyLayout | undefined {
  const fields = PROXY_LINE.exec(line)?.[1]?.trim().split(' ').length ?? 0;
  return PROXY_LAYOUTS[fields];
}

function mostCommon(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

/** How many cells a CSV line has. */
function cellCount(line: string): number {
  return parseCsv(line)[0]?.length ?? 0;
}

/** The JSON object a line holds, or undefined when it holds something else. */
export function jsonObjectOf(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
