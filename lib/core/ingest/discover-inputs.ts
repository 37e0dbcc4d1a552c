/**
 * Input discovery (the file-system edge of ingest): expands the user's paths into the list of log
 * files to read, recursively through folders, and reads the first bytes of each so that its format,
 * text encoding and compression can be told. Bad input is reported as an InputError naming the path and
 * what to do.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, existsSync, openSync, promises as fs, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { InputError } from '../errors';

export interface DiscoveredFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  gzip: boolean;
  /** Why the file cannot be read, when discovery already knows (an empty file, a broken link): ingest names it. */
  skip?: string;
}

/** Files skipped inside folders (not logs): dot-files, checksums, our own outputs. */
const IGNORED_NAMES = /^(\.|_SUCCESS$|SOURCE\.md$|README|manifest\.json$|truth\.csv$)/i;
/** The file every run folder holds (DESIGN.md's run folder contract): a folder with it is not read as logs. */
const RUN_FOLDER_MARK = 'manifest.json';

/**
 * The files of `paths` (files the user named, or folders, recursively) and of `found`: files fetched
 * for the user (an S3 prefix's objects), which are read by the rules of a folder's files. Symbolic
 * links are followed (a file reached twice is one input). Empty files and broken links found in folders
 * are kept with why they cannot be read, for ingest to name among the files it skips.
 */
export async function discoverInputs(paths: readonly string[], found: readonly string[] = []): Promise<{ files: DiscoveredFile[] }> {
  if (paths.length === 0 && found.length === 0) throw new InputError('no input given: pass one or more log files or folders');
  const files: Found[] = [];
  for (const f of found) addFound(f, path.resolve(f), files);
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new InputError(`no such file or folder: ${p} (check the path)`);
    if (stat.isDirectory()) {
      const entries = listFolder(p);
      if (typeof entries === 'string') throw new InputError(`cannot read folder ${p}: ${entries}`);
      const before = files.length;
      const real = realpathSync(p);
      walkEntries(entries, p, real, files, new Set([real]));
      const inside = files.slice(before);
      if (inside.every((f) => f.file.skip)) {
        const why = [...new Set(inside.map((f) => f.file.skip))].join(', ');
        throw new InputError(`no log files in folder ${p} (${inside.length === 0 ? 'it is empty' : `${inside.length} ${inside.length === 1 ? 'file' : 'files'}: ${why}`})`);
      }
    } else if (stat.size === 0) {
      throw new InputError(`${p} is empty: nothing to read`);
    } else {
      files.push({ file: { path: p, bytes: stat.size, mtimeMs: stat.mtimeMs, gzip: p.endsWith('.gz') }, real: realpathSync(p) });
    }
  }
  // A file named and also found in a named folder, or reached through a link, is one input: the first by path.
  files.sort((a, b) => a.file.path.localeCompare(b.file.path));
  const seen = new Set<string>();
  return { files: files.filter((f) => !seen.has(f.real) && seen.add(f.real)).map((f) => f.file) };
}

/** A file found, and its real path (links resolved), which tells when two paths are one file. */
interface Found {
  file: DiscoveredFile;
  real: string;
}

/**
 * Synchronous on purpose: ALB writes a file per node per 5 minutes, so a week is thousands of stats,
 * and a promise round trip through libuv's thread pool per file cost ten times the stat itself. The
 * real path of an entry is its folder's joined with its name (realpath per file cost 0.26 s over a
 * week of ALB files); `visited` holds the real paths of the folders on the way down, so that a link
 * back up is not followed.
 */
function walk(dir: string, realDir: string, out: Found[], visited: ReadonlySet<string>): void {
  const skip = (why: string) => out.push({ file: { path: dir, bytes: 0, mtimeMs: 0, gzip: false, skip: why }, real: realDir });
  // `--out` inside the logs' folder (`loadprint run . --out run`): the next run must not read the last one's results.
  if (existsSync(path.join(dir, RUN_FOLDER_MARK))) {
    skip('a Loadprint run folder (results, not logs)');
    return;
  }
  const entries = listFolder(dir);
  if (typeof entries === 'string') skip(`unreadable folder, ${entries}`);
  else walkEntries(entries, dir, realDir, out, visited);
}

/** A folder's entries, or why they cannot be listed. */
function listFolder(dir: string): Dirent[] | string {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e: unknown) {
    return unreadableReason(e);
  }
}

/** A folder's entries, walked (listed by walk, or by discoverInputs, which refuses a named folder it cannot list). */
function walkEntries(entries: readonly Dirent[], dir: string, realDir: string, out: Found[], visited: ReadonlySet<string>): void {
  for (const e of entries) {
    if (IGNORED_NAMES.test(e.name)) continue;
    const full = path.join(dir, e.name);
    const real = path.join(realDir, e.name);
    if (e.isDirectory()) walk(full, real, out, new Set([...visited, real]));
    else if (e.isFile()) addFound(full, real, out);
    else if (e.isSymbolicLink()) followLink(full, out, visited);
  }
}

/** A link found in a folder: to a file or a folder, read as such; broken, named by ingest. Devices and sockets are not logs. */
function followLink(link: string, out: Found[], visited: ReadonlySet<string>): void {
  let target: Stats;
  try {
    target = statSync(link);
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    const skip = code === 'ENOENT' || code === 'ELOOP' ? 'broken symbolic link' : unreadableReason(e);
    out.push({ file: { path: link, bytes: 0, mtimeMs: 0, gzip: link.endsWith('.gz'), skip }, real: link });
    return;
  }
  const real = realpathSync(link);
  if (target.isDirectory() && !visited.has(real)) walk(link, real, out, new Set([...visited, real]));
  else if (target.isFile()) addFound(link, real, out);
}

/** A file found in a folder (not named by the user): an empty or unreadable one is not an error, ingest skips it. */
function addFound(file: string, real: string, out: Found[]): void {
  const gzip = file.endsWith('.gz');
  try {
    const stat = statSync(file);
    out.push({ file: { path: file, bytes: stat.size, mtimeMs: stat.mtimeMs, gzip, ...(stat.size === 0 ? { skip: 'empty' } : {}) }, real });
  } catch (e: unknown) {
    out.push({ file: { path: file, bytes: 0, mtimeMs: 0, gzip, skip: unreadableReason(e) }, real });
  }
}

/**
 * Why a file or folder cannot be read, in the user's words: nginx and Apache logs are often readable
 * by root and the adm group only. Anything but a permission or a file gone is a bug, and thrown again.
 */
export function unreadableReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied (run as a user who can read the logs, such as one in the adm group, or copy them)';
  if (code === 'ENOENT') return 'gone while being read (rotated away?)';
  throw e;
}

/** What format detection and the truncation check need from one file. */
export interface FileProbe {
  /** The first bytes of the file, gunzipped when it is a .gz (a truncated .gz yields what it holds). */
  head: Buffer;
  /** A .gz file's trailer: the uncompressed size mod 2^32 (ISIZE), which gzip-check.ts judges. */
  gzipIsize?: number;
}

/** Text logs compress at least 4:1, so a quarter of the wanted bytes, inflated, is enough. */
const GZIP_MIN_RATIO = 4;
/** A gzip member ends with CRC32 and ISIZE, 4 bytes each. */
const GZIP_TRAILER_BYTES = 4;

/** What to do with a .gz file that is not gzip: often a text log someone named .gz. */
export const NOT_GZIP_ADVICE = 'rename it without .gz if it is plain text, or replace it';

/** A .gz file whose head does not inflate: `reason` says why, without the path (a skip's reason). */
export class NotGzipError extends InputError {
  constructor(
    path: string,
    readonly reason: string,
  ) {
    super(`${path} is ${reason}; ${NOT_GZIP_ADVICE}`);
  }
}

/**
 * The head (and, for .gz, the trailer) of a file in one open. Synchronous and a single inflate call
 * per file: ALB writes thousands of small files, and a stream or a thread-pool round trip per file
 * cost more than the rest of format detection together.
 */
export function probeFile(file: DiscoveredFile, maxBytes = 64 * 1024): FileProbe {
  const fd = openSync(file.path, 'r');
  try {
    const raw = Buffer.alloc(file.gzip ? Math.min(file.bytes, Math.ceil(maxBytes / GZIP_MIN_RATIO)) : maxBytes);
    const head = raw.subarray(0, readSync(fd, raw, 0, raw.length, 0));
    if (!file.gzip) return { head };
    const trailer = Buffer.alloc(GZIP_TRAILER_BYTES);
    const trailerRead = file.bytes >= GZIP_TRAILER_BYTES ? readSync(fd, trailer, 0, GZIP_TRAILER_BYTES, file.bytes - GZIP_TRAILER_BYTES) : 0;
    try {
      const inflated = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, maxBytes);
      return trailerRead === GZIP_TRAILER_BYTES ? { head: inflated, gzipIsize: trailer.readUInt32LE(0) } : { head: inflated };
    } catch (e: unknown) {
      throw new NotGzipError(file.path, `not a readable gzip file (${(e as Error).message})`);
    }
  } finally {
    closeSync(fd);
  }
}

/** How a file's text is encoded, as far as its head tells. */
export type TextEncoding = 'utf-8' | 'latin-1' | 'utf-16le' | 'utf-16be';

/**
 * How a head's text is encoded: UTF-8 (ASCII included); UTF-16 by its byte-order mark or, without
 * one, by the zero byte every ASCII character has in UTF-16 (a Windows PowerShell redirect writes
 * UTF-16LE); or Latin-1 (ISO-8859-1, and Windows-1252 but for 0x80-0x9F), which Windows tools and
 * old servers export: bytes past ASCII that are not UTF-8 and not one UTF-8 sequence among them. A
 * UTF-8 text with a few broken bytes stays UTF-8 (its broken lines are counted as such). Binary data
 * has zeros at both byte positions, and stays `utf-8` here for looksBinary.
 */
export function textEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, UTF16_PROBE_BYTES) & ~1;
  if (n < 2) return 'utf-8';
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * UTF16_ZERO_SHARE && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= pairs * UTF16_ZERO_SHARE && oddZeros === 0) return 'utf-16be';
  return isLatin1(head) ? 'latin-1' : 'utf-8';
}

/** A UTF-8 lead byte followed by a continuation byte, as Latin-1 text reads them. */
const UTF8_SEQUENCE = /[\xc2-\xf4][\x80-\xbf]/;
/** Longest UTF-8 sequence: a head cut inside one loses at most this many bytes less one. */
const UTF8_MAX_BYTES = 4;

function isLatin1(head: Buffer): boolean {
  // A head ends where sniffing stopped reading, possibly inside a character: up to its last line end,
  // or without one, before its last bytes past ASCII.
  let end = head.lastIndexOf(0x0a) + 1;
  if (end === 0) {
    end = head.length;
    const floor = Math.max(0, head.length - (UTF8_MAX_BYTES - 1));
    while (end > floor && head[end - 1]! >= 0x80) end--;
  }
  const text = head.subarray(0, end);
  // Text holds no NUL byte: binary data is left for looksBinary.
  return !head.includes(0) && !isUtf8(text) && !UTF8_SEQUENCE.test(text.toString('latin1'));
}

/** Bytes looked at for UTF-16 without a byte-order mark, and the share of them ASCII text makes zero. */
const UTF16_PROBE_BYTES = 512;
const UTF16_ZERO_SHARE = 0.9;

/** UTF-8's byte-order mark, which Windows tools (Excel's "CSV UTF-8", PowerShell 5's Out-File) write first. */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * A head as UTF-8 text, for sniffing: without a byte-order mark (DuckDB skips UTF-8's too; left in,
 * it made a JSON first line unreadable) and, from UTF-16LE, without a cut last character.
 */
export function headAsUtf8(head: Buffer, encoding: TextEncoding): Buffer {
  if (encoding === 'latin-1') return Buffer.from(head.toString('latin1'), 'utf8');
  if (encoding !== 'utf-16le') return UTF8_BOM.every((b, i) => head[i] === b) ? head.subarray(UTF8_BOM.length) : head;
  const start = head[0] === 0xff && head[1] === 0xfe ? 2 : 0;
  return Buffer.from(head.subarray(start, start + ((head.length - start) & ~1)).toString('utf16le'), 'utf8');
}

/**
 * Compressed files by their leading bytes (logrotate's compresscmd may be any of these): zstd is read,
 * by DuckDB; the others are named with what to do (`advice`).
 */
const PACKED: readonly { name: string; magic: readonly number[]; advice?: string }[] = [
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], advice: 'decompress it (xz -d) and pass that' },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], advice: 'decompress it (bunzip2) and pass that' },
  { name: 'zip', magic: [0x50, 0x4b, 0x03, 0x04], advice: 'extract it (unzip) and pass the logs' },
  // Gzip is read, known by its name: without `.gz`, the file would be read as text.
  { name: 'gzip', magic: [0x1f, 0x8b], advice: 'give it a name ending in .gz, which is read as it is' },
];

/** How a file that is not known by its name to be gzip is compressed, if it is. */
export function packedAs(head: Buffer): { name: string; advice?: string } | undefined {
  return PACKED.find((p) => head.length >= p.magic.length && p.magic.every((b, i) => head[i] === b));
}

/** True when a buffer looks like binary data rather than text lines. */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const byte = head[i]!;
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control / n > 0.05;
}

/** Complete text lines of a head buffer (the last, possibly cut, line dropped). */
export function headLines(head: Buffer, max = 50): string[] {
  const text = head.toString('utf8');
  // Split on '\n' and trim '\r' by hand: a regular-expression split was a fifth of sniffing's JavaScript.
  const lines = text.split('\n');
  if (!text.endsWith('\n') && lines.length > 1) lines.pop();
  const out: string[] = [];
  for (const line of lines) {
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (bare.trim() === '') continue;
    out.push(bare);
    if (out.length === max) break;
  }
  return out;
}
