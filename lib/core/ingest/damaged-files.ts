/**
 * Compressed inputs that do not decompress. DuckDB stops a whole parse, naming no file, at bytes it
 * cannot inflate ("Input is not a GZIP stream", zstd's "Data corruption detected"); and it does not
 * check gzip's CRC, so a damaged stream that still inflates yields garbage, which the parse rejects
 * line after line. This module tells which files are damaged: gzip ones by inflating them with zlib,
 * CRC included; zstd ones by reading them alone (Node has no zstd before 22: the caller's probe).
 * Ingest skips them (a file named directly is refused) and parses the rest again.
 */
import { mapConcurrent } from '../map-concurrent';
import { gzipDamage, INFLATE_CONCURRENCY } from './gzip-check';

export interface CompressedFile {
  path: string;
  compression: 'gzip' | 'zstd';
}

/** DuckDB's errors for a compressed file it cannot read (its gzip and zstd readers' wording). */
const DECOMPRESSION_ERROR = /gzip|zstd|data corruption|decompress/i;

export function isDecompressionError(message: string): boolean {
  return DECOMPRESSION_ERROR.test(message);
}

/** Damaged files among `files`, each with why (zlib's or DuckDB's words), in the order given. */
export async function damagedFiles(
  files: readonly CompressedFile[],
  zstdDamage: (path: string) => Promise<string | undefined>,
): Promise<Map<string, string>> {
  const why = await mapConcurrent(files, INFLATE_CONCURRENCY, (f) => (f.compression === 'gzip' ? gzipDamage(f.path) : zstdDamage(f.path)));
  return new Map(files.flatMap((f, i) => (why[i] === undefined ? [] : [[f.path, why[i]!] as const])));
}

/** A file read from a compressed stream, with the lines it should hold. */
export interface ReadFile {
  path: string;
  /** Its lines, estimated from its uncompressed size and the length of its first lines. */
  estimatedLines: number;
}

export interface SuspicionOptions {
  /** Share of a file's lines rejected that healthy logs do not reach (a few malformed requests do not). */
  minRejectedShare: number;
  /** Fewer rejected lines than this never make a file suspect, however short it is. */
  minRejectedLines: number;
}

/** Files whose rejected lines (`rejected`, by path) are so many that their stream may be damaged. */
export function suspectFiles(files: readonly ReadFile[], rejected: ReadonlyMap<string, number>, o: SuspicionOptions): string[] {
  return files
    .filter((f) => {
      const n = rejected.get(f.path) ?? 0;
      return n >= o.minRejectedLines && n >= o.minRejectedShare * f.estimatedLines;
    })
    .map((f) => f.path);
}

/** The lines `uncompressedBytes` of text hold, at the mean length of `sampleLines` (and their newlines). */
export function estimateLines(uncompressedBytes: number, sampleLines: readonly string[]): number {
  const sampleBytes = sampleLines.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
  return sampleBytes > 0 ? (uncompressedBytes * sampleLines.length) / sampleBytes : 0;
}
