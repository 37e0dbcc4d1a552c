/**
 * The one line a user gets when not a single line of the inputs could be read. Fixed layouts (ALB,
 * CloudFront, combined) can only be the wrong format. JSON lines and CSV name their own columns, so
 * for them the usual cause is a column map that does not match: the line names the columns it found
 * (names only, never values: values hold client IPs and tokens) and the `--columns` map that reads them.
 * Lines that are not UTF-8 are neither: the line says to convert the text.
 */
import type { LineCounts, LogFormat } from '../types';
import { jsonKeyPaths } from './column-aliases';
import { jsonObjectOf, PROXY_LAYOUT_NAMES, W3C_LAYOUT_NAME, type FormatSniff } from './detect-format';
import { csvColumnsByValue } from './infer-csv-columns';

/** What the hint needs of a file's format detection, and its first lines (JSON: their keys are the columns). */
export type SniffedColumns = Pick<FormatSniff, 'csvHeader' | 'csvColumns' | 'layout' | 'w3cFields'> & { lines: readonly string[] };

/** Columns listed at most, and characters per name: the hint stays one readable line. */
const MAX_NAMES = 12;
const MAX_NAME_CHARS = 40;
/** What every request needs, in the canonical names `--columns` maps to. */
const NEEDED = 'timestamp, status and request (or method and path)';

export function unreadHint(files: string, format: LogFormat, lines: LineCounts, first: SniffedColumns | undefined, logFormat = false): string {
  const top = Object.entries(lines.rejectedByReason).sort((a, b) => b[1] - a[1])[0];
  const why = top ? `${lines.rejected} rejected, most as ${top[0]}` : `${lines.rejected} rejected`;
  if (logFormat) {
    return `no line of ${files} matches --log-format (${why}); give the layout the server writes, as its LogFormat or log_format says, or check --format`;
  }
  // Lines DuckDB cannot decode, or that hold no request, are no layout's fault: a column map or a
  // format would not help.
  const action = top?.[0] === 'invalid_encoding' ? NOT_UTF8 : top?.[0] === 'no_request' ? NO_REQUESTS : whatToDo(format, first);
  // A layout sniffing recognised (a proxy's default, IIS's #Fields) is what was tried: name it.
  const tried = first?.layout ? PROXY_LAYOUT_NAMES[first.layout] : first?.w3cFields ? W3C_LAYOUT_NAME : `${format} logs`;
  return `no line of ${files} could be read as ${tried} (${why}); ${action}`;
}

/** Lines read in the right layout, each a connection that sent nothing ("-" 408): no traffic at all. */
const NO_REQUESTS = 'its lines are connections that sent no request ("-"): there is no traffic in it to profile; pass logs that hold requests';

/** Text that is UTF-8 at its start but not in its lines (a Latin-1 file is read as such). */
const NOT_UTF8 = 'its text is not UTF-8 past its first lines: convert it (e.g. iconv -f WINDOWS-1252 -t UTF-8 < in > out) and pass that';

function whatToDo(format: LogFormat, first: SniffedColumns | undefined): string {
  if (format === 'csv' && first?.csvHeader) {
    return `map its columns to ${NEEDED} with --columns canonical=column (its columns: ${names(first.csvHeader)}), or check --format`;
  }
  if (format === 'csv') {
    const n = first?.csvColumns;
    return `it has no header naming them: map its ${n ? `${n} ` : ''}columns by 1-based position to ${NEEDED} with --columns${byValue(first?.lines ?? [])}, or check --format`;
  }
  if (format === 'jsonl') {
    const keys = first ? jsonKeys(first.lines) : [];
    const found = keys.length > 0 ? ` (its keys: ${names(keys)})` : '';
    return `map its keys to ${NEEDED} with --columns canonical=key${found}, or check --format`;
  }
  if (format === 'cloudfront' && first && spaceSeparated(first.lines)) {
    // IIS and other W3C extended logs have CloudFront's #Fields header but separate fields by spaces.
    return 'its fields are separated by spaces, as IIS writes W3C extended logs, not by tabs as CloudFront writes them: leave --format auto to read it as IIS\'s';
  }
  if (first?.layout) return 'give the layout the proxy writes (its format string) with --log-format, or check --format';
  if (first?.w3cFields) return 'check that its lines hold the fields its #Fields line names, in that order';
  if (format === 'combined') return 'check --format, or give the layout the server writes (its LogFormat or log_format) with --log-format';
  return 'check --format';
}

/**
 * What a header-less CSV's values show, and which needed column none of them is: `(by their values:
 * client_ip=3, request=4, status=5; no column reads as a time)`. Positions, never values.
 */
function byValue(lines: readonly string[]): string {
  const found = csvColumnsByValue(lines);
  const named = Object.entries(found).map(([c, at]) => `${c}=${at}`).join(', ');
  const missing = [
    found.timestamp === undefined ? 'a time' : '',
    found.status === undefined ? 'a status' : '',
    found.request === undefined && (found.method === undefined || found.path === undefined) ? 'a request' : '',
  ].filter(Boolean);
  if (named === '') return ', e.g. timestamp=2,request=3,status=4';
  return ` (by their values: ${named}${missing.length > 0 ? `; no column reads as ${missing.join(' or ')}` : ''})`;
}

/** Whether the data lines (not `#` headers) hold no tab: W3C extended logs other than CloudFront's. */
function spaceSeparated(lines: readonly string[]): boolean {
  const data = lines.filter((l) => !l.startsWith('#'));
  return data.length > 0 && data.every((l) => !l.includes('\t'));
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, MAX_NAMES).map((n) => (n.length > MAX_NAME_CHARS ? `${n.slice(0, MAX_NAME_CHARS)}...` : n));
  return list.length > MAX_NAMES ? `${shown.join(', ')} and ${list.length - MAX_NAMES} more` : shown.join(', ');
}

/** Keys of the first line that is a JSON object, nested ones as paths. */
function jsonKeys(lines: readonly string[]): string[] {
  for (const line of lines) {
    const record = jsonObjectOf(line);
    if (!record) continue;
    // Nested values by the paths --columns takes (`req.method`), their objects not listed apart.
    const paths = jsonKeyPaths(record);
    return paths.filter((p) => !paths.some((q) => q.startsWith(`${p}.`) || q === `${p}[0]`));
  }
  return [];
}
