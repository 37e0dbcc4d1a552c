/**
 * Inputs that are byte-for-byte copies of another (a log copied twice into a drop folder, a rotated
 * file saved under a second name): only the first of each set, by path, is read, so that no request
 * counts twice. Files are compared by size, then by their last bytes (a gzip file's CRC and length, a
 * text log's last timestamp), and only those still alike are read whole: a week of ALB files shares
 * sizes by the hundred, and nothing more.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { DiscoveredFile } from './discover-inputs';

const TAIL_BYTES = 8;
const CHUNK_BYTES = 1024 * 1024;

/** Each copy's path -> the path of the file it copies (the first of its set in `files`' order). */
export function copiesAmong(files: readonly DiscoveredFile[]): Map<string, string> {
  const copies = new Map<string, string>();
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  for (const sameSize of groupBy(files, (f) => String(f.bytes))) {
    for (const alike of groupBy(sameSize, (f) => readWith(f, (fd) => tail(fd, f.bytes, chunk)))) {
      const firstByDigest = new Map<string, string>();
      for (const f of alike) {
        const digest = readWith(f, (fd) => contentDigest(fd, chunk));
        const original = firstByDigest.get(digest);
        if (original === undefined) firstByDigest.set(digest, f.path);
        else copies.set(f.path, original);
      }
    }
  }
  return copies;
}

/** The groups of two or more files with the same key, in the files' order; the key is computed only when a group may form. */
function groupBy(files: readonly DiscoveredFile[], key: (f: DiscoveredFile) => string): DiscoveredFile[][] {
  if (files.length < 2) return [];
  const groups = new Map<string, DiscoveredFile[]>();
  for (const f of files) {
    const k = key(f);
    const group = groups.get(k);
    if (group) group.push(f);
    else groups.set(k, [f]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/** What `read` makes of the file; for a file that cannot be opened (sniffing names why), a key of its own. */
function readWith(file: DiscoveredFile, read: (fd: number) => string): string {
  let fd: number;
  try {
    fd = openSync(file.path, 'r');
  } catch {
    return `unreadable ${file.path}`;
  }
  try {
    return read(fd);
  } finally {
    closeSync(fd);
  }
}

function tail(fd: number, bytes: number, chunk: Buffer): string {
  const n = readSync(fd, chunk, 0, Math.min(TAIL_BYTES, bytes), Math.max(0, bytes - TAIL_BYTES));
  return chunk.toString('hex', 0, n);
}

function contentDigest(fd: number, chunk: Buffer): string {
  const hash = createHash('sha256');
  for (let n = readSync(fd, chunk, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, chunk, 0, CHUNK_BYTES, null)) hash.update(chunk.subarray(0, n));
  return hash.digest('hex');
}
