/**
 * How lines are read and sessions cut, as a user writes it: the flags `loadprint run` and `watch` take,
 * and the `options` of POST /runs. One parser for all three, so a value refused on the command line is
 * refused over HTTP with the same words, before any run starts.
 */
import { DEFAULTS, parseDurationSeconds } from '../config';
import { OptionError } from '../errors';
import { LOG_FORMATS, type LogFormat } from '../types';
import { compileLogFormat, LOG_FORMAT_NAMES, type CompiledLogFormat } from './log-format';
import { CANONICAL_COLUMNS, type CanonicalColumn } from './parse-sql';

/** The reading options as written (`--format`, `--session-gap`, ... in camelCase). */
export interface ReadingFlags {
  format: string;
  sessionGap: string;
  sessionCookie?: string;
  columns?: string;
  logFormat?: string;
}

/** Their names, as POST /runs takes them in `options`. */
export const READING_FLAG_NAMES = ['format', 'sessionGap', 'sessionCookie', 'columns', 'logFormat'] as const satisfies readonly (keyof ReadingFlags)[];

/** What each option means, for `loadprint run --help` and the API's OpenAPI document. */
export const READING_FLAG_HELP: Readonly<Record<(typeof READING_FLAG_NAMES)[number], string>> = {
  format: `log format: auto|${LOG_FORMATS.join('|')}`,
  sessionGap: 'inactivity gap that ends a session (e.g. 30m, 900s)',
  sessionCookie: 'cookie that carries the session id (CloudFront: detected when absent; --log-format)',
  columns: 'JSON/CSV column map, e.g. timestamp=ts,path=url (JSON: or nested, method=request.method; CSV: or 1-based positions, timestamp=2)',
  logFormat:
    'the layout nginx/Apache/Envoy logs are written in, as the server\'s log_format, LogFormat or Envoy format says, e.g. ' +
    `'%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D', or a shipped one by name: ${LOG_FORMAT_NAMES.join(', ')}`,
};

/** What an option left out means. */
export const READING_DEFAULTS: Pick<ReadingFlags, 'format' | 'sessionGap'> = {
  format: 'auto',
  sessionGap: `${DEFAULTS.ingest.sessionGapSeconds / 60}m`,
};

/** The reading options checked and parsed. */
export interface ReadingOptions {
  format: LogFormat | 'auto';
  sessionGapSeconds: number;
  sessionCookie?: string;
  columnMap?: Partial<Record<CanonicalColumn, string>>;
  /** The layout of combined-like logs (`--log-format`, log-format.ts). */
  logFormat?: CompiledLogFormat;
}

/** Checks and parses the reading options; an OptionError names the first bad one as its flag. */
export function parseReadingOptions(given: Partial<ReadingFlags>): ReadingOptions {
  const flags = { ...READING_DEFAULTS, ...given };
  const format = flags.format as LogFormat | 'auto';
  if (format !== 'auto' && !LOG_FORMATS.includes(format)) {
    throw new OptionError(`--format ${flags.format} is not a known format; use auto|${LOG_FORMATS.join('|')}`);
  }
  if (flags.logFormat !== undefined && format !== 'auto' && format !== 'combined') {
    throw new OptionError(`--log-format describes nginx/Apache logs; it cannot be used with --format ${format}`);
  }
  const gap = parseDurationSeconds(flags.sessionGap);
  if (gap === undefined || gap <= 0) throw new OptionError(`--session-gap ${flags.sessionGap} is not a duration; use e.g. 30m or 900s`);
  return {
    format,
    sessionGapSeconds: gap,
    ...(flags.sessionCookie ? { sessionCookie: flags.sessionCookie } : {}),
    ...(flags.columns ? { columnMap: parseColumnMap(flags.columns) } : {}),
    ...(flags.logFormat !== undefined ? { logFormat: compileLogFormat(flags.logFormat) } : {}),
  };
}

/** The reading options given, as `loadprint run` arguments (for the runs `watch` and POST /runs start). */
export function readingArgs(flags: Partial<ReadingFlags>): string[] {
  return [
    ...(flags.format !== undefined ? ['--format', flags.format] : []),
    ...(flags.sessionGap !== undefined ? ['--session-gap', flags.sessionGap] : []),
    ...(flags.sessionCookie ? ['--session-cookie', flags.sessionCookie] : []),
    ...(flags.columns ? ['--columns', flags.columns] : []),
    ...(flags.logFormat !== undefined ? ['--log-format', flags.logFormat] : []),
  ];
}

function parseColumnMap(text: string): Partial<Record<CanonicalColumn, string>> {
  const map: Partial<Record<CanonicalColumn, string>> = {};
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim());
    if (!key || !value || !CANONICAL_COLUMNS.includes(key as CanonicalColumn)) {
      throw new OptionError(`--columns: "${pair}" is not canonical=name; canonical columns are ${CANONICAL_COLUMNS.join(', ')}`);
    }
    // A JSON path cannot quote a name that holds a double quote.
    if (value.includes('"')) throw new OptionError(`--columns: "${pair}": a column name cannot hold a double quote`);
    map[key as CanonicalColumn] = value;
  }
  return map;
}
