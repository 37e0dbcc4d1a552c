/**
 * Format detection from a file's first lines: each format has a recognisable shape, and the format
 * most sample lines agree on wins. CloudFront's `#Fields` header and a CSV header are read here too,
 * because the parse SQL needs to know where each field is.
 */
import type { LogFormat } from '../types';

const ALB_LINE = /^(https?|h2|grpcs|wss?) \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \S+ \S+ \S+ /;
/** Combined, and Apache's vhost_combined with `host:port` in front. */
const COMBINED_LINE = /^(\S+:\d+ )?\S+ \S+ \S+ \[[^\]]+\] "/;
const CLOUDFRONT_LINE = /^\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\t/;

export interface FormatSniff {
  format: LogFormat | undefined;
  /** CloudFront field names in order, from `#Fields:`. */
  cloudfrontFields?: string[];
  /** CSV header names (lower-cased), or undefined when the CSV has no header. */
  csvHeader?: string[];
  /** CSV: number of columns on the first line (names DuckDB's columns of a header-less file). */
  csvColumns?: number;
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

export function detectFormat(lines: readonly string[]): FormatSniff {
  const fieldsLine = lines.find((l) => l.startsWith('#Fields:'));
  if (fieldsLine || lines[0]?.startsWith('#Version:')) {
    return {
      format: 'cloudfront',
      cloudfrontFields: fieldsLine ? fieldsLine.slice('#Fields:'.length).trim().split(/\s+/) : CLOUDFRONT_DEFAULT_FIELDS,
    };
  }
  const data = lines.filter((l) => !l.startsWith('#')).slice(0, 20);
  if (data.length === 0) return { format: undefined };
  const votes: Partial<Record<LogFormat, number>> = {};
  const vote = (f: LogFormat) => (votes[f] = (votes[f] ?? 0) + 1);
  for (const l of data) {
    if (ALB_LINE.test(l)) vote('alb');
    else if (COMBINED_LINE.test(l)) vote('combined');
    else if (CLOUDFRONT_LINE.test(l)) vote('cloudfront');
    else if (l.trimStart().startsWith('{') && jsonObjectOf(l)) vote('jsonl');
    else if (l.includes(',')) vote('csv');
  }
  const [best, count] = Object.entries(votes).sort((a, b) => b[1] - a[1])[0] ?? [];
  // A format must explain most of the sample: a few junk lines are fine, a different file is not.
  if (!best || (count ?? 0) < Math.ceil(data.length / 2)) return { format: undefined };
  const format = best as LogFormat;
  if (format === 'cloudfront') return { format, cloudfrontFields: CLOUDFRONT_DEFAULT_FIELDS };
  if (format === 'csv') {
    const cells = (line: string | undefined) => (line ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
    const numeric = (line: string | undefined) => cells(line).some((c) => /^\d/.test(c));
    const first = cells(data[0]);
    // A header names columns, so no cell of it is a number; the rows under it hold times and statuses.
    // Names need not be canonical ones (`--columns timestamp=when` maps them).
    const hasHeader = !numeric(data[0]) && (first.some((c) => CSV_KNOWN_COLUMNS.includes(c)) || data.slice(1).some(numeric));
    return hasHeader ? { format, csvHeader: first, csvColumns: first.length } : { format, csvColumns: first.length };
  }
  return { format };
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
