import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { damagedFiles, estimateLines, isDecompressionError, suspectFiles, type CompressedFile } from '../../../lib/core/ingest/damaged-files';
import { damagedGzip } from '../../helpers/damaged-gzip';
import { REAL_LOGS } from '../../helpers/real-logs';

const TEXT = readFileSync(path.join(REAL_LOGS, 'apache-semicomplete', 'apache_logs')).subarray(0, 400_000);
const LINES = TEXT.subarray(0, TEXT.lastIndexOf(0x0a) + 1);

describe('damagedFiles', () => {
  test('names the gzip files that do not inflate or fail their CRC, in zlib\'s words; zstd ones by the probe', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lp-damaged-'));
    const file = (name: string, bytes: Buffer) => {
      writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };
    const healthy = file('healthy.log.gz', gzipSync(LINES));
    const garbled = file('garbled.log.gz', damagedGzip(LINES, 'garbled'));
    const broken = file('broken.log.gz', damagedGzip(LINES, 'broken-block'));
    const probed: string[] = [];
    const zstdDamage = async (p: string) => {
      probed.push(p);
      return p.endsWith('bad.zst') ? 'Data corruption detected' : undefined;
    };

    const files: CompressedFile[] = [
      ...[healthy, garbled, broken].map((p) => ({ path: p, compression: 'gzip' as const })),
      { path: 'good.zst', compression: 'zstd' },
      { path: 'bad.zst', compression: 'zstd' },
    ];
    const damage = await damagedFiles(files, zstdDamage);

    expect([...damage]).toEqual([
      [garbled, 'incorrect data check'],
      [broken, 'invalid stored block lengths'],
      ['bad.zst', 'Data corruption detected'],
    ]);
    expect(probed).toEqual(['good.zst', 'bad.zst']);
  });
});

describe('which files are suspect', () => {
  const o = { minRejectedShare: 0.02, minRejectedLines: 10 };

  test('a file is suspect when its rejected lines pass both the share and the count', () => {
    const files = [
      { path: 'garbage.gz', estimatedLines: 1840 }, // 110 rejected: 6%
      { path: 'scanners.gz', estimatedLines: 10_000 }, // 45 rejected: 0.45%, as the real netnea log
      { path: 'short.gz', estimatedLines: 100 }, // 5 rejected: 5%, but too few lines to tell
      { path: 'clean.gz', estimatedLines: 3000 },
    ];
    const rejected = new Map([['garbage.gz', 110], ['scanners.gz', 45], ['short.gz', 5]]);
    expect(suspectFiles(files, rejected, o)).toEqual(['garbage.gz']);
  });

  test('lines are estimated from the uncompressed size and the mean length of the first lines', () => {
    const sample = ['a'.repeat(99), 'b'.repeat(199)]; // 100 and 200 bytes with their newlines
    expect(estimateLines(150_000, sample)).toBe(1000);
    expect(estimateLines(150_000, [])).toBe(0);
  });
});

test('DuckDB\'s decompression errors are told from other errors', () => {
  for (const m of ['IO Error: Input is not a GZIP stream', 'IO Error: Failed to decode gzip stream: data error', 'IO Error: Data corruption detected',
    'IO Error: ZSTD Decompression failure']) {
    expect({ m, is: isDecompressionError(m) }).toEqual({ m, is: true });
  }
  for (const m of ['Out of Memory Error: could not allocate block', 'Binder Error: column not found']) {
    expect({ m, is: isDecompressionError(m) }).toEqual({ m, is: false });
  }
});
