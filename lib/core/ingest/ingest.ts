/**
 * Step 1a, locally: discovered files -> the `lp_parsed` table (every line, good or rejected) and the
 * exact line counts for the manifest. Formats (and text encodings) are detected per file from its first
 * lines, gzip and zstd files decompressed; files that are not logs are reported; a truncated .gz or
 * .zst yields what it held plus a warning.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { errorMessage, InputError } from '../errors';
import { mapConcurrent } from '../map-concurrent';
import { maskPii } from '../redact';
import { LOG_FORMATS, type InputFile, type LineCounts, type LogFormat, type RejectedSample, type SqlEngine } from '../types';
import { aliasColumnMap, describeAliases, jsonKeyPaths } from './column-aliases';
import { inferCsvColumns } from './infer-csv-columns';
import { detectFormat, jsonObjectOf, PROXY_LAYOUT_NAMES, W3C_LAYOUT_NAME, type FormatSniff } from './detect-format';
import { carriedLine } from './line-carriers';
import { headAsUtf8, headLines, looksBinary, NOT_GZIP_ADVICE, NotGzipError, packedAs, probeFile, textEncoding, unreadableReason, type DiscoveredFile, type FileProbe, type TextEncoding } from './discover-inputs';
import { copiesAmong } from './duplicate-files';
import { describeSkipped, type SkippedFile } from './skipped-files';
import { INFLATE_CONCURRENCY, isTruncatedGzip } from './gzip-check';
import { isTruncatedZstd } from './zstd-frames';
import { damagedFiles, estimateLines, isDecompressionError, suspectFiles, type CompressedFile } from './damaged-files';
import { unreadHint } from './unread-hint';
import { RefreshCache, rowsOfFilesSql, type CachedFile, type CacheLookup } from './refresh-cache';
import { compileLogFormat, w3cLayout, type CompiledLogFormat } from './log-format';
import { emptyParsedSql, fileIdSql, headLinesSource, parseSql, READER_REJECTS, REJECTS_TABLES, type CanonicalColumn, type ParseSpec, type ReadEncoding } from './parse-sql';
import { sqlString } from '../sql/dialect';
import { DEFAULTS } from '../config';

export interface IngestOptions {
  format: LogFormat | 'auto';
  /** CloudFront, --log-format: the session cookie's name; CloudFront detects it from common names when absent. */
  sessionCookie?: string;
  sessionCookieNames: readonly string[];
  columnMap?: Partial<Record<CanonicalColumn, string>>;
  /** The layout of combined-like logs (`--log-format`): every file is read with it. */
  logFormat?: CompiledLogFormat;
  rejectedSamples: number;
  /** Refresh cache (refresh-cache.ts); absent: parse everything. */
  cacheDir?: string;
}

export interface IngestResult {
  format: LogFormat;
  inputs: InputFile[];
  lines: LineCounts;
  warnings: string[];
  /** True when sessions come from an authoritative session id column (no inactivity split). */
  explicitSessions: boolean;
  /** Files read back from the refresh cache instead of being parsed again. */
  cachedFiles: number;
  sessionCookie?: string;
  /** With a refresh cache: what the sessions step reads back and what the run stores for the next. */
  refresh?: RefreshInput;
}

/** The refresh cache as the rest of a cached run sees it. */
export interface RefreshInput {
  cache: RefreshCache;
  /** Cached rows of the files read again, and the sessions of files no longer read (tables). */
  cached?: { rows: string; dropped: string; gapSeconds: number };
  /** Every file this run read, with what the cache should remember of it. */
  files: { file: DiscoveredFile; cached: CachedFile }[];
}

export const PARSED_TABLE = 'lp_parsed';
/** Refresh: the cached rows read again, and (sid) of the sessions that lost a file. */
const CACHED_TABLE = 'lp_cached_rows';
const DROPPED_TABLE = 'lp_cached_dropped';
/** Request columns the events keep on a cached run, so that the snapshot can rebuild requests. */
export const REFRESH_CARRY = ['host', 'session_key', 'file_id'] as const;

/** Bytes of each file read to detect its format (CloudFront headers and a dozen lines). */
const SNIFF_BYTES = 8 * 1024;
/** Lines read of a zstd file to detect its format: more than headLines keeps. */
const SNIFF_LINES = 60;
/** Bytes read again of a file whose first line is longer than SNIFF_BYTES (a JSON line with a stack trace). */
const LONG_LINE_BYTES = 1024 * 1024;

export async function ingest(
  engine: SqlEngine,
  files: readonly DiscoveredFile[],
  explicitFiles: ReadonlySet<string>,
  options: IngestOptions,
): Promise<IngestResult> {
  const warnings: string[] = [];
  // An empty file in a folder (a log rotated a moment ago), a broken link: one named directly was refused by discovery.
  const skipped: SkippedFile[] = files.flatMap((f) => (f.skip ? [{ path: f.path, reason: f.skip }] : []));
  const readable = skipped.length > 0 ? files.filter((f) => !f.skip) : files;
  const copies = copiesAmong(readable);
  for (const [copy, original] of copies) skipped.push({ path: copy, reason: `the same bytes as ${original}, read once` });
  const distinct = copies.size > 0 ? readable.filter((f) => !copies.has(f.path)) : readable;
  const cache = options.cacheDir ? new RefreshCache(options.cacheDir, readingKey(options)) : undefined;
  const lookup: CacheLookup = cache ? await cache.lookup(distinct) : { hits: [], misses: [...distinct], dropped: [] };
  const { hits, misses } = lookup;
  const forced = options.logFormat ? 'combined' : options.format;
  const sniffed = misses.length > 0 ? await sniffAll(engine, misses, explicitFiles, forced, skipped) : [];
  // New files that are not logs (ALB's test file, a note) leave the cached ones to read.
  const noLogs = () => new InputError(`no log files found among ${describe(files)}: ${describeSkipped(skipped).join('; ')}`);
  if (sniffed.length === 0 && hits.length === 0) throw noLogs();
  const format = singleFormat([
    ...sniffed.map((f) => ({ path: f.file.path, format: f.sniff.format })),
    ...hits.map((h) => ({ path: h.file.path, format: h.cached.format })),
  ]);
  const sessionCookie = format === 'cloudfront'
    ? (options.sessionCookie ?? detectSessionCookie(sniffed, options.sessionCookieNames))
    : options.logFormat && options.sessionCookie;
  const specs = groupBySpec(sniffed, format, options, warnings).map((g) => ({
    ...g,
    keepFile: cache !== undefined,
    ...(sessionCookie ? { sessionCookie } : {}),
  }));

  const compressed = sniffed.filter((f) => f.file.gzip || f.compression === 'zstd');
  const isTruncated = (f: SniffedFile) => (f.file.gzip ? isTruncatedGzip(f.file.path, f.file.bytes, f.gzipIsize) : isTruncatedZstd(f.file.path));
  const truncated = new Set(
    (await mapConcurrent(compressed, INFLATE_CONCURRENCY, async (f) => ((await isTruncated(f)) ? f.file.path : ''))).filter(Boolean),
  );
  const read = await parseSkippingDamaged(engine, specs, sniffed, truncated, explicitFiles, skipped);
  if (read.length === 0 && hits.length === 0) throw noLogs();
  warnings.unshift(...describeSkipped(skipped));
  for (const h of hits) if (h.cached.truncated) truncated.add(h.file.path);
  // zstd is told by its bytes; a file the cache answered for was not sniffed, its name tells.
  const zstd = new Set(compressed.filter((f) => f.compression === 'zstd').map((f) => f.file.path));
  const skippedPaths = new Set(skipped.map((f) => f.path));
  for (const p of [...truncated].filter((t) => !skippedPaths.has(t)).sort()) {
    warnings.push(`${p} is a truncated ${zstd.has(p) || p.endsWith('.zst') ? 'zstd' : 'gzip'} file: read the lines it held; the rest is lost`);
  }
  const readAs: ReadAs = new Map(read.map((f) => [f.file.path, f]));
  const latin1 = read.filter((f) => f.encoding === 'latin-1').map((f) => f.file.path);
  if (latin1.length > 0) {
    warnings.push(`read ${latin1.length === 1 ? latin1[0] : `${latin1.length} files (${latin1[0]}, ...)`} as Latin-1 (ISO-8859-1): not UTF-8 text`);
  }
  const lines = await countLines(engine, options.rejectedSamples, hits.map((h) => h.cached), readAs);
  if (lines.parsed === 0) {
    const first = read[0] && { ...read[0].sniff, lines: read[0].lines };
    throw new InputError(unreadHint(describe(files), format, lines, first, options.logFormat !== undefined));
  }
  const refresh = cache ? await refreshInput(engine, cache, lookup, read.map((f) => f.file), format, truncated, options.rejectedSamples) : undefined;
  // Session ids count whether their lines were parsed now or read back from the cache.
  const keyed = [PARSED_TABLE, ...(refresh?.cached ? [refresh.cached.rows] : [])]
    .map((t) => `SELECT session_key FROM ${t} WHERE session_key IS NOT NULL`)
    .join(' UNION ALL ');
  const explicitSessions =
    (format === 'jsonl' || format === 'csv') && (await engine.query<{ n: number }>(`SELECT count(*) AS n FROM (${keyed}) k`))[0]!.n > 0;
  return {
    format,
    // What was read: skipped files are in the warnings.
    inputs: [...read.map((f) => f.file), ...hits.map((h) => h.file)]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((f) => ({ path: f.path, bytes: f.bytes, format })),
    lines,
    warnings,
    explicitSessions,
    cachedFiles: hits.length,
    ...(sessionCookie ? { sessionCookie } : {}),
    ...(refresh ? { refresh } : {}),
  };
}

/** Loads the cached rows the sessions step reuses, and what the cache should remember of new files. */
async function refreshInput(
  engine: SqlEngine,
  cache: RefreshCache,
  lookup: CacheLookup,
  parsedFiles: readonly DiscoveredFile[],
  format: LogFormat,
  truncated: ReadonlySet<string>,
  samplesPerFile: number,
): Promise<RefreshInput> {
  const fresh = await freshFileEntries(engine, parsedFiles, format, truncated, samplesPerFile);
  const files = [...lookup.hits.map((h) => ({ file: h.file, cached: h.cached })), ...fresh];
  if (!lookup.rows || lookup.hits.length === 0) return { cache, files };
  // A view: each later scan reads only the Parquet columns it needs (templates: paths; spans: times).
  await engine.exec(`CREATE OR REPLACE VIEW ${CACHED_TABLE} AS ${rowsOfFilesSql(lookup.rows.sql, lookup.hits.map((h) => h.cached.path))}`);
  await engine.exec(`CREATE OR REPLACE TABLE ${DROPPED_TABLE} AS SELECT DISTINCT sid FROM (${rowsOfFilesSql(lookup.rows.sql, lookup.dropped)}) d`);
  return { cache, files, cached: { rows: CACHED_TABLE, dropped: DROPPED_TABLE, gapSeconds: lookup.rows.gapSeconds } };
}

/** `f(path)`: the given paths as a relation. */
function pathsRelation(files: readonly DiscoveredFile[]): string {
  return files.length > 0 ? `(VALUES ${files.map((f) => `(${sqlString(f.path)})`).join(', ')}) f(path)` : `(SELECT NULL AS path WHERE false) f`;
}

/** Per parsed file: its line counts by outcome and a few rejected-line samples, for the cache index. */
async function freshFileEntries(
  engine: SqlEngine,
  files: readonly DiscoveredFile[],
  format: LogFormat,
  truncated: ReadonlySet<string>,
  samplesPerFile: number,
): Promise<{ file: DiscoveredFile; cached: CachedFile }[]> {
  const counts = await engine.query<{ file: string; reason: string | null; n: number }>(
    `SELECT f.path AS file, p.reason, count(*) AS n FROM ${PARSED_TABLE} p JOIN ${pathsRelation(files)} ON ${fileIdSql('f.path')} = p.file_id
     GROUP BY f.path, p.reason`,
  );
  const readerRejects = await readerRejectsByFile(engine);
  const samples = await engine.query<{ file: string; reason: string; raw: string }>(
    `SELECT file, reason, raw FROM (
       SELECT raw_file AS file, reason, raw, row_number() OVER (PARTITION BY raw_file ORDER BY raw) AS nth FROM ${PARSED_TABLE} WHERE reason IS NOT NULL
     ) s WHERE nth <= ${samplesPerFile}`,
  );
  return files.map((file) => {
    const rejectedByReason: Record<string, number> = {};
    let parsed = 0;
    for (const c of counts.filter((r) => r.file === file.path)) {
      if (c.reason === null) parsed = c.n;
      else rejectedByReason[c.reason] = c.n;
    }
    for (const r of readerRejects) if (r.file === file.path) rejectedByReason[r.reason] = r.n;
    const own = samples.filter((r) => r.file === file.path).map((r) => ({ file: file.path, line: 0, reason: r.reason, text: maskPii(r.raw) }));
    return { file, cached: { path: file.path, format, parsed, rejectedByReason, samples: own, truncated: truncated.has(file.path) } };
  });
}

interface SniffedFile {
  file: DiscoveredFile;
  /** The text's encoding when it is not UTF-8. */
  encoding?: ReadEncoding;
  /** Zstandard-compressed (gzip is known by the file's name). */
  compression?: 'zstd';
  gzipIsize?: number;
  sniff: FormatSniff & { format: LogFormat };
  lines: string[];
}

/**
 * The options that decide what a line reads as: a cached file read under other ones (a new column map,
 * a corrected --log-format) must be parsed again, not reused.
 */
function readingKey(o: IngestOptions): string {
  return JSON.stringify([o.format, o.columnMap ?? null, o.logFormat?.source ?? null, o.sessionCookie ?? null]);
}

/** DuckDB's name for each encoding it reads besides UTF-8 (UTF-16 it reads little-endian only). */
const READ_ENCODINGS: Record<TextEncoding, ReadEncoding | undefined> = { 'utf-8': undefined, 'latin-1': 'latin-1', 'utf-16le': 'utf-16', 'utf-16be': undefined };

/**
 * Each file's format from its head, or why it is skipped (a warning; an error for a file named
 * directly). Zstandard files are read by DuckDB, and so is their head: Node has no zstd before 22.
 */
async function sniffAll(
  engine: SqlEngine,
  files: readonly DiscoveredFile[],
  explicitFiles: ReadonlySet<string>,
  forced: LogFormat | 'auto',
  skipped: SkippedFile[],
): Promise<SniffedFile[]> {
  const out: SniffedFile[] = [];
  for (const file of files) {
    const explicit = explicitFiles.has(file.path);
    // A file named directly is an error (`error` follows its path); one found in a folder, a warning.
    const skip = (error: string, reason: string) => {
      if (explicit) throw new InputError(`${file.path}${error}`);
      skipped.push({ path: file.path, reason });
    };
    let probe: FileProbe;
    try {
      probe = probeFile(file, SNIFF_BYTES);
    } catch (e: unknown) {
      if (e instanceof NotGzipError) {
        skip(` is ${e.reason}; ${NOT_GZIP_ADVICE}`, `${e.reason}, not read; ${NOT_GZIP_ADVICE}`);
        continue;
      }
      if (e instanceof InputError) throw e;
      const why = unreadableReason(e);
      skip(`: ${why}`, why);
      continue;
    }
    const packed = file.gzip ? undefined : packedAs(probe.head);
    if (packed?.advice) {
      skip(` is ${packed.name}-compressed; ${packed.advice}`, `${packed.name}-compressed; ${packed.advice}`);
      continue;
    }
    const zstd = packed?.name === 'zstd';
    // A text head cut inside the first line holds no line to tell the format by (a cut JSON object
    // reads as CSV). zstd bytes are compressed: their head is whole lines already (zstdHead).
    if (!zstd && probe.head.length >= SNIFF_BYTES && !probe.head.includes(0x0a)) probe = probeFile(file, LONG_LINE_BYTES);
    const raw = zstd ? await zstdHead(engine, file.path) : probe.head;
    const encoding = textEncoding(raw);
    if (encoding === 'utf-16be') {
      // DuckDB reads UTF-16 little-endian only.
      skip(' is UTF-16 big-endian text; convert it to UTF-8 (iconv -f UTF-16BE -t UTF-8) and pass that', 'UTF-16 big-endian text, convert it to UTF-8');
      continue;
    }
    const head = headAsUtf8(raw, encoding);
    if (looksBinary(head)) {
      skip(' is a binary file, not a text log; pass log files or folders of them', 'binary file, not a text log');
      continue;
    }
    const lines = headLines(head);
    if (lines.length === 0 && head.length < SNIFF_BYTES) {
      // The whole file is in the head, and it is blank: an empty .gz (a node that served nothing in
      // its five minutes) has bytes but no lines.
      skip(' holds no log lines; pass files that do', 'no log lines in it');
      continue;
    }
    const detected = detectFormat(lines);
    if (detected.errorLog) {
      // Never an access log, whatever --format says: its lines would all be rejected.
      skip(' is a web server\'s error log, not an access log; pass the access logs', 'error log, not an access log');
      continue;
    }
    const format = forced === 'auto' ? detected.format : forced;
    if (!format && detected.proxyLayout) {
      skip(
        ': Envoy access log lines in a layout of their own; pass --log-format with the format string of the proxy\'s configuration',
        'Envoy access log in a layout of its own, pass --log-format',
      );
      continue;
    }
    if (!format) {
      skip(`: unknown log format; pass --format ${LOG_FORMATS.join('|')}`, 'unknown log format');
      continue;
    }
    const sniff = detected.format === format ? { ...detected, format } : { ...detectFormat(lines), format };
    const read = READ_ENCODINGS[encoding];
    out.push({
      file,
      sniff,
      // What the parse reads: the lines their pipeline carries.
      lines: sniff.carrier ? lines.map((l) => carriedLine(l, sniff.carrier)) : lines,
      ...(read ? { encoding: read } : {}),
      ...(zstd ? { compression: 'zstd' as const } : {}),
      ...(probe.gzipIsize !== undefined ? { gzipIsize: probe.gzipIsize } : {}),
    });
  }
  return out;
}

/** A zstd file's first lines, as its bytes (read as Latin-1, byte for byte, so that sniffing tells the encoding). */
async function zstdHead(engine: SqlEngine, file: string): Promise<Buffer> {
  try {
    const rows = await engine.query<{ line: string }>(`SELECT line FROM ${headLinesSource(file, 'zstd')} LIMIT ${SNIFF_LINES}`);
    // As much as another file's head, but the first line whole however long it is.
    return Buffer.from(rows.map((r) => `${r.line}\n`).join(''), 'latin1').subarray(0, Math.max(SNIFF_BYTES, (rows[0]?.line.length ?? 0) + 1));
  } catch (e: unknown) {
    throw new InputError(`${file} is not a readable zstd file (${errorMessage(e)}); remove it or decompress it`);
  }
}

function singleFormat(files: readonly { path: string; format: LogFormat }[]): LogFormat {
  const formats = [...new Set(files.map((f) => f.format))];
  if (formats.length > 1) {
    const example = formats.map((fmt) => `${files.find((f) => f.format === fmt)!.path} is ${fmt}`).join(', ');
    throw new InputError(`inputs mix log formats (${example}); run them separately or pass --format`);
  }
  return formats[0]!;
}

/**
 * The layout a file of combined-like lines is read with: --log-format's, else the one sniffing
 * recognised (a proxy's default, IIS's `#Fields`), with the words the run says it in.
 */
function layoutOf(sniff: FormatSniff, options: IngestOptions): { logFormat?: CompiledLogFormat; said?: string } {
  if (options.logFormat) return { logFormat: options.logFormat };
  if (sniff.layout) {
    return {
      logFormat: compileLogFormat(sniff.layout),
      said: `read ${PROXY_LAYOUT_NAMES[sniff.layout]} (--log-format ${sniff.layout}); --log-format reads another`,
    };
  }
  if (sniff.w3cFields) return { logFormat: w3cLayout(sniff.w3cFields), said: `read ${W3C_LAYOUT_NAME}` };
  return {};
}

/**
 * Files sharing a layout (CloudFront fields, CSV header) are read by one parse query. JSON keys and CSV
 * columns the user did not map are read by their common names when the files use those (column-aliases.ts),
 * and the columns of a CSV without a header by their values (infer-csv-columns.ts); a warning says which.
 */
function groupBySpec(files: readonly SniffedFile[], format: LogFormat, options: IngestOptions, warnings: string[]): ParseSpec[] {
  const groups = new Map<string, { spec: ParseSpec & { files: string[] }; keys: Set<string>; lines: string[] }>();
  for (const f of files) {
    const key = JSON.stringify([
      f.encoding ?? null, f.compression ?? null, f.sniff.cloudfrontFields ?? null, f.sniff.csvHeader ?? null, f.sniff.csvColumns ?? null,
      f.sniff.carrier ?? null, f.sniff.layout ?? null, f.sniff.w3cFields ?? null,
    ]);
    let g = groups.get(key);
    if (!g) {
      const { logFormat, said } = layoutOf(f.sniff, options);
      if (said && !warnings.includes(said)) warnings.push(said);
      const spec = {
        format,
        files: [],
        ...(f.encoding ? { encoding: f.encoding } : {}),
        ...(f.compression ? { compression: f.compression } : {}),
        ...(f.sniff.carrier ? { carrier: f.sniff.carrier } : {}),
        ...(f.sniff.cloudfrontFields ? { cloudfrontFields: f.sniff.cloudfrontFields } : {}),
        ...(f.sniff.csvHeader ? { csvHeader: f.sniff.csvHeader } : {}),
        ...(f.sniff.csvColumns ? { csvColumns: f.sniff.csvColumns } : {}),
        ...(options.columnMap ? { columnMap: options.columnMap } : {}),
        ...(logFormat ? { logFormat, sessionCookieNames: options.sessionCookieNames } : {}),
      };
      g = { spec, keys: new Set(), lines: [] };
      groups.set(key, g);
    }
    g.spec.files.push(f.file.path);
    for (const k of columnNames(f)) g.keys.add(k);
    if (g.lines.length < INFER_CSV_LINES) g.lines.push(...f.lines.slice(0, INFER_CSV_LINES - g.lines.length));
  }
  const said = new Set<string>();
  return [...groups.values()].map(({ spec, keys, lines }) => {
    if (format !== 'jsonl' && format !== 'csv') return spec;
    const headerless = format === 'csv' && !spec.csvHeader;
    const mapped = headerless
      ? inferCsvColumns(lines, options.columnMap)
      : aliasColumnMap([...keys], options.columnMap ?? {}, format === 'csv');
    if (Object.keys(mapped).length === 0) return spec;
    const what = format === 'csv' ? 'CSV columns' : 'JSON keys';
    const warning = headerless
      ? `read the columns of a CSV without a header by their values (${describeAliases(mapped)}); --columns maps them otherwise`
      : `read ${what} by their common names (${describeAliases(mapped)}); --columns maps them otherwise`;
    if (!said.has(warning)) warnings.push(warning);
    said.add(warning);
    return { ...spec, columnMap: { ...mapped, ...options.columnMap } };
  });
}

/** Head lines whose values tell a header-less CSV's columns: a few files' worth. */
const INFER_CSV_LINES = 200;

/** The column names a file's head shows: a CSV header, or the keys of its JSON lines. */
function columnNames(f: SniffedFile): string[] {
  if (f.sniff.format === 'csv') return f.sniff.csvHeader ?? [];
  if (f.sniff.format !== 'jsonl') return [];
  return f.lines.flatMap((line) => jsonKeyPaths(jsonObjectOf(line) ?? {}));
}

/** The first configured cookie name present in the sampled CloudFront cookie fields. */
function detectSessionCookie(files: readonly SniffedFile[], names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const f of files) {
    const idx = f.sniff.cloudfrontFields?.indexOf('cs(Cookie)') ?? -1;
    if (idx < 0) continue;
    for (const line of f.lines) {
      if (line.startsWith('#')) continue;
      const cookie = decodeURIComponentSafe(line.split('\t')[idx] ?? '-');
      for (const part of cookie.split(/;\s*/)) seen.add(part.split('=')[0]!.trim().toLowerCase());
    }
  }
  return names.find((n) => seen.has(n.toLowerCase()));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Lines DuckDB's reader rejected, per file and reason (none when no parse made its reject tables). */
async function readerRejectsByFile(engine: SqlEngine): Promise<{ file: string; reason: string; n: number }[]> {
  return engine.query<{ file: string; reason: string; n: number }>(`SELECT file, reason, count(*) AS n FROM ${READER_REJECTS} GROUP BY file, reason`).catch(() => []);
}

/** How each parsed file's text is stored: its encoding, and zstd compression. */
type ReadAs = ReadonlyMap<string, Pick<SniffedFile, 'encoding' | 'compression'>>;

/**
 * `specs` parsed into PARSED_TABLE; the files read are returned. A compressed file that stops DuckDB
 * (which names no file), or whose lines come out rejected so often that its gzip stream is then found
 * damaged, is skipped (refused when named directly) and the rest parsed again: damage is rare, and the
 * healthy path stays one statement.
 */
async function parseSkippingDamaged(
  engine: SqlEngine,
  specs: readonly ParseSpec[],
  sniffed: readonly SniffedFile[],
  truncated: ReadonlySet<string>,
  explicitFiles: ReadonlySet<string>,
  skipped: SkippedFile[],
): Promise<readonly SniffedFile[]> {
  // A truncated gzip file reads as far as it goes, which is kept (with a warning), not skipped. DuckDB
  // may stop on a truncated zstd file instead: those stay in, and are skipped when it cannot read them.
  const compressed: CompressedFile[] = sniffed
    .filter((f) => f.compression === 'zstd' || (f.file.gzip && !truncated.has(f.file.path)))
    .map((f) => ({ path: f.file.path, compression: f.file.gzip ? 'gzip' : 'zstd' }));
  // DuckDB's words without its error class ("IO Error: "), as zlib's come.
  const zstdDamage = (path: string) =>
    engine.query(`SELECT count(*) AS n FROM ${headLinesSource(path, 'zstd')}`).then(() => undefined, (e: unknown) => errorMessage(e).replace(/^[A-Za-z ]*Error: /, ''));
  let damage: Map<string, string>;
  try {
    await createParsedTable(engine, specs);
    damage = await damagedFiles(await suspectGzips(engine, sniffed, compressed), zstdDamage);
  } catch (e: unknown) {
    if (!isDecompressionError(errorMessage(e))) throw e;
    damage = await damagedFiles(compressed, zstdDamage);
    if (damage.size === 0) {
      throw new InputError(`could not decompress the inputs (${errorMessage(e)}); test them (gzip -t, zstd -t) and replace the damaged ones`);
    }
  }
  if (damage.size === 0) return sniffed;
  const kinds = new Map(compressed.map((f) => [f.path, f.compression]));
  for (const [path, why] of damage) {
    const kind = kinds.get(path)!;
    if (explicitFiles.has(path)) throw new InputError(`${path} is a damaged ${kind} file (${why}); replace it (${kind} -t tells which are)`);
    skipped.push({ path, reason: `damaged ${kind} file (${why}), not read; replace it` });
  }
  const rest = specs.map((spec) => ({ ...spec, files: spec.files.filter((f) => !damage.has(f)) })).filter((spec) => spec.files.length > 0);
  await createParsedTable(engine, rest);
  return sniffed.filter((f) => !damage.has(f.file.path));
}

async function createParsedTable(engine: SqlEngine, specs: readonly ParseSpec[]): Promise<void> {
  // A parse appends to DuckDB's reject tables: a second one (without damaged files) must start afresh.
  for (const table of Object.values(REJECTS_TABLES)) await engine.exec(`DROP TABLE IF EXISTS ${table}`);
  // Every file came from the cache (or none is left): an empty parsed table of the same shape.
  const select = specs.length > 0 ? specs.map((spec) => parseSql(spec)).join('\nUNION ALL\n') : emptyParsedSql();
  await engine.exec(`CREATE OR REPLACE TABLE ${PARSED_TABLE} AS ${select}`);
}

/** gzip files whose rejected lines are so many a share of their lines that their stream may be damaged. */
async function suspectGzips(engine: SqlEngine, sniffed: readonly SniffedFile[], compressed: readonly CompressedFile[]): Promise<CompressedFile[]> {
  const gzips = compressed.filter((f) => f.compression === 'gzip');
  if (gzips.length === 0) return [];
  const rows = await engine.query<{ file: string; n: number }>(
    `SELECT raw_file AS file, count(*) AS n FROM ${PARSED_TABLE} WHERE reason IS NOT NULL GROUP BY raw_file`,
  );
  const rejected = new Map(rows.map((r) => [r.file, r.n]));
  for (const r of await readerRejectsByFile(engine)) rejected.set(r.file, (rejected.get(r.file) ?? 0) + r.n);
  if (rejected.size === 0) return [];
  const byPath = new Map(sniffed.map((f) => [f.file.path, f]));
  // The trailer's size wraps at 4 GiB: never take less than the compressed size.
  const estimated = gzips.map((g) => {
    const f = byPath.get(g.path)!;
    return { path: g.path, estimatedLines: estimateLines(Math.max(f.gzipIsize ?? 0, f.file.bytes), f.lines) };
  });
  const suspects = new Set(suspectFiles(estimated, rejected, DEFAULTS.ingest.damagedGzipCheck));
  return gzips.filter((g) => suspects.has(g.path));
}

async function countLines(engine: SqlEngine, maxSamples: number, cached: readonly CachedFile[], readAs: ReadAs): Promise<LineCounts> {
  const byReason = await engine.query<{ reason: string | null; n: number }>(
    `SELECT reason, count(*) AS n FROM ${PARSED_TABLE} GROUP BY reason`,
  );
  const readerRejects = await engine.query<{ reason: string; n: number }>(`SELECT reason, count(*) AS n FROM ${READER_REJECTS} GROUP BY reason`).catch(() => []);
  const rejectedByReason: Record<string, number> = {};
  const add = (reason: string, n: number) => (rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + n);
  let parsed = cached.reduce((a, f) => a + f.parsed, 0);
  for (const r of byReason) {
    if (r.reason === null) parsed += r.n;
    else add(r.reason, r.n);
  }
  for (const r of readerRejects) add(r.reason, r.n);
  for (const f of cached) for (const [reason, n] of Object.entries(f.rejectedByReason)) add(reason, n);
  const rejected = Object.values(rejectedByReason).reduce((a, b) => a + b, 0);
  const samples = [...(await rejectedSamples(engine, maxSamples, readAs)), ...cached.flatMap((f) => f.samples)]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, maxSamples);
  return { read: parsed + rejected, parsed, rejected, rejectedByReason, samples };
}

async function rejectedSamples(engine: SqlEngine, max: number, readAs: ReadAs): Promise<RejectedSample[]> {
  if (max <= 0) return [];
  const fromParse = await engine.query<{ reason: string; raw: string; file: string }>(
    `SELECT reason, raw, raw_file AS file FROM ${PARSED_TABLE} WHERE reason IS NOT NULL ORDER BY raw_file, raw LIMIT ${max}`,
  );
  const fromReader = await engine
    .query<{ raw: string; file: string; line: number; reason: string }>(`SELECT raw, file, line, reason FROM ${READER_REJECTS} ORDER BY file, line LIMIT ${max}`)
    .catch(() => []);
  const samples: RejectedSample[] = [];
  for (const r of fromParse) {
    samples.push({ file: r.file, line: await lineNumberOf(r.file, r.raw, readAs.get(r.file) ?? {}), reason: r.reason, text: maskPii(r.raw) });
  }
  for (const r of fromReader) {
    samples.push({ file: r.file, line: r.line, reason: r.reason, text: maskPii(r.raw) });
  }
  return samples.slice(0, max);
}

/** Line number (1-based) of the first line starting with `prefix`, 0 when not found. */
async function lineNumberOf(file: string, prefix: string, { encoding, compression }: Pick<SniffedFile, 'encoding' | 'compression'>): Promise<number> {
  if (compression === 'zstd') return 0; // Node has no zstd before 22: the sample's line stays unknown
  const source = createReadStream(file);
  const input = file.endsWith('.gz') ? source.pipe(createGunzip({ finishFlush: 2 })) : source;
  input.setEncoding(encoding === 'utf-16' ? 'utf16le' : encoding === 'latin-1' ? 'latin1' : 'utf8');
  const rl = createInterface({ input, crlfDelay: Infinity });
  // readline does not pass its input's errors on: a damaged or vanished file would be an uncaught error.
  for (const stream of new Set([source, input])) stream.on('error', () => rl.close());
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      // A byte-order mark opens the first line of some files; DuckDB's line has none.
      if ((n === 1 ? line.replace(/^\uFEFF/, '') : line).startsWith(prefix)) return n;
    }
  } catch {
    // A truncated file ends the search; the sample keeps line 0 (unknown).
  } finally {
    rl.close();
    source.destroy();
  }
  return 0;
}

function describe(files: readonly DiscoveredFile[]): string {
  return files.length === 1 ? files[0]!.path : `${files.length} files`;
}
