/**
 * A CSV without a header names none of its columns: spreadsheet exports, Kaggle data sets and `awk`
 * extracts hold values only. What a request needs can still be told from the values of the sampled
 * head lines: a client IP, a time, a request line (or a method and a path), a status. Each canonical
 * column takes the one position whose values all have its shape; when two positions have it (a status
 * next to an upstream status), or a needed column has none, nothing is inferred and the run asks for
 * `--columns`, as it would without this. Shapes follow what the parse reads (parse-sql.ts
 * `parseTimeSql` for times), so a column taken here is one the parse can read.
 */
import { parseCsv } from '../csv';
import type { CanonicalColumn } from './parse-sql';

type ColumnMap = Partial<Record<CanonicalColumn, string>>;

/** Each inferable column's value shape. Response times are left out: a bare number says no unit. */
const SHAPES: readonly (readonly [CanonicalColumn, RegExp])[] = [
  // ISO-8601; epoch seconds or milliseconds; Common Log Format, its brackets, fraction and zone optional.
  ['timestamp', /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?|\d{9,10}(\.\d+)?|\d{12,13}|\[?\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(\.\d+)?( [+-]\d{4})?\]?)$/],
  ['request', /^[A-Z]{3,7} \S+( HTTP\/\d(\.\d)?)?$/],
  ['method', /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)$/],
  ['path', /^(\/|https?:\/\/)\S*$/],
  ['status', /^[1-5]\d\d$/],
  // IPv4; IPv6 shortened (`::`) or in full: a time of day (06:58:55) is neither.
  ['client_ip', /^(\d{1,3}(\.\d{1,3}){3}|(?=.*::)[0-9A-Fa-f:]{2,39}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){7})$/],
  ['user_agent', /^[A-Za-z][\w.-]*\/\S/],
];

/** Share of the sampled rows a position's values must fit: junk rows (a shell error in the log) are allowed. */
const MIN_FIT = 0.9;

/**
 * Canonical column -> 1-based position, for the columns the head `lines` show unambiguously and `given`
 * (the user's `--columns`) does not map; empty unless a time, a status and a request (or a method and
 * a path) are all found or given.
 */
export function inferCsvColumns(lines: readonly string[], given: ColumnMap = {}): ColumnMap {
  const found = csvColumnsByValue(lines, given);
  const has = (c: CanonicalColumn) => found[c] !== undefined || given[c] !== undefined;
  return has('timestamp') && has('status') && (has('request') || (has('method') && has('path'))) ? found : {};
}

/**
 * Every column the head `lines` show unambiguously and `given` does not map, readable or not (what the
 * hint for an unread CSV names), in the file's order.
 */
export function csvColumnsByValue(lines: readonly string[], given: ColumnMap = {}): ColumnMap {
  // Joined, not split line by line: a quoted value may hold a line break.
  const rows = parseCsv(lines.join('\n'));
  if (rows.length === 0) return {};
  const width = Math.max(...rows.map((r) => r.length));
  const taken = new Set(Object.values(given));
  const found: ColumnMap = {};
  for (const [column, shape] of SHAPES) {
    if (given[column] !== undefined) continue;
    const fits: number[] = [];
    for (let i = 0; i < width; i++) {
      const position = String(i + 1);
      if (taken.has(position)) continue;
      const fitting = rows.filter((r) => shape.test((r[i] ?? '').trim())).length;
      if (fitting >= rows.length * MIN_FIT) fits.push(i + 1);
    }
    if (fits.length !== 1) continue;
    found[column] = String(fits[0]);
    taken.add(String(fits[0]));
  }
  // A request line names its method and path itself: the separate columns are not needed then.
  if (found.request !== undefined || given.request !== undefined) {
    delete found.method;
    delete found.path;
  }
  return Object.fromEntries(Object.entries(found).sort(([, a], [, b]) => Number(a) - Number(b)));
}
