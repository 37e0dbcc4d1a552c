/**
 * Input discovery (the file-system edge of ingest): expands the user's paths into the list of log
 * files to read, recursively through folders, and reads the first lines of each so the format can be
 * detected. Bad input is reported as an InputError naming the path and what to do.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { InputError } from '../errors';

export interface DiscoveredFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  gzip: boolean;
}

/** Files skipped inside folders (not logs): dot-files, checksums, our own outputs. */
const IGNORED_NAMES = /^(\.|_SUCCESS$|SOURCE\.md$|README|manifest\.json$|truth\.csv$)/i;

export async function discoverInputs(paths: readonly string[]): Promise<{ files: DiscoveredFile[]; skipped: string[] }> {
  if (paths.length === 0) throw new InputError('no input given: pass one or more log files or folders');
  const files: DiscoveredFile[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new InputError(`no such file or folder: ${p} (check the path)`);
    if (stat.isDirectory()) {
      const before = files.length;
      await walk(p, files, skipped);
      if (files.length === before) throw new InputError(`no log files in folder ${p} (it is empty or holds only empty files)`);
    } else if (stat.size === 0) {
      throw new InputError(`${p} is empty: nothing to read`);
    } else {
      files.push({ path: p, bytes: stat.size, mtimeMs: stat.mtimeMs, gzip: p.endsWith('.gz') });
    }
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, skipped };
}

async function walk(dir: string, out: DiscoveredFile[], skipped: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (IGNORED_NAMES.test(e.name)) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, out, skipped);
    else if (e.isFile()) {
      const stat = await fs.stat(full);
      if (stat.size === 0) skipped.push(`${full} (empty)`);
      else out.push({ path: full, bytes: stat.size, mtimeMs: stat.mtimeMs, gzip: e.name.endsWith('.gz') });
    }
  }
}

/**
 * The first bytes of a file, gunzipped when it is a .gz (a truncated .gz yields what it holds). Only
 * the file's first compressed block is read and inflated in one call: ALB writes thousands of small
 * files, and a stream per file cost more than the rest of format detection together.
 */
const GZIP_MIN_RATIO = 4;

export async function readHead(file: DiscoveredFile, maxBytes = 64 * 1024): Promise<Buffer> {
  const handle = await fs.open(file.path, 'r');
  try {
    // Text logs compress at least 4:1, so a quarter of the wanted bytes, inflated, is enough.
    const raw = Buffer.alloc(file.gzip ? Math.min(file.bytes, Math.ceil(maxBytes / GZIP_MIN_RATIO)) : maxBytes);
    const { bytesRead } = await handle.read(raw, 0, raw.length, 0);
    const head = raw.subarray(0, bytesRead);
    if (!file.gzip) return head;
    try {
      return gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, maxBytes);
    } catch (e: unknown) {
      throw new InputError(`${file.path} is not a readable gzip file (${(e as Error).message}); remove it or decompress it`);
    }
  } finally {
    await handle.close();
  }
}

/** True when a buffer looks like binary data rather than text lines. */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const byte of head.subarray(0, 8192)) {
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control / Math.min(head.length, 8192) > 0.05;
}

/** Complete text lines of a head buffer (the last, possibly cut, line dropped). */
export function headLines(head: Buffer, max = 50): string[] {
  const text = head.toString('utf8');
  const lines = text.split(/\r?\n/);
  if (!text.endsWith('\n') && lines.length > 1) lines.pop();
  return lines.filter((l) => l.trim() !== '').slice(0, max);
}
