/**
 * Cheap truncation check for .gz inputs. DuckDB reads a truncated gzip file up to where it breaks
 * without complaint, so Loadprint checks each file's trailer: a complete gzip member ends with the
 * uncompressed size (mod 2^32), which for text logs is a small multiple of the compressed size. A file
 * whose trailer is implausible is then confirmed by decompressing it; only those are reported.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** Plausible range of (uncompressed / compressed) for text logs; outside it, decompress to confirm. */
const MIN_RATIO = 0.9;
const MAX_RATIO = 200;

/** Smallest complete gzip member: 10-byte header, empty deflate block, 8-byte trailer. */
const GZIP_MIN_BYTES = 18;

/** Files inflated whole at a time (to confirm a truncation, or to check a CRC), on libuv's threads. */
export const INFLATE_CONCURRENCY = 4;

/** `isize` is the file's trailer as read by probeFile (discover-inputs.ts). */
export async function isTruncatedGzip(path: string, size: number, isize: number | undefined): Promise<boolean> {
  if (size < GZIP_MIN_BYTES || isize === undefined) return true;
  // ISIZE wraps at 4 GiB, so for very large files an implausible value proves nothing: confirm.
  const plausible = isize >= size * MIN_RATIO && isize <= size * MAX_RATIO;
  return plausible ? false : (await gzipDamage(path)) !== undefined;
}

/**
 * Why a gzip file does not inflate (zlib's words: "incorrect data check", "unexpected end of file"),
 * or undefined when every member inflates and matches its CRC. Reads the whole file.
 */
export async function gzipDamage(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const gunzip = createGunzip();
    gunzip.on('data', () => undefined);
    gunzip.on('end', () => resolve(undefined));
    gunzip.on('error', (e) => resolve(e.message));
    createReadStream(path).on('error', (e) => resolve(e.message)).pipe(gunzip);
  });
}
