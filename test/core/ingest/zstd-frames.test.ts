/**
 * Telling a truncated zstd file by its frame and block headers, on files the zstd tool and DuckDB write.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTruncatedZstd } from '../../../lib/core/ingest/zstd-frames';
import { REAL_LOGS } from '../../helpers/real-logs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lp-zstd-'));
const write = (name: string, bytes: Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
};
const LOG = path.join(REAL_LOGS, 'apache-semicomplete', 'apache_logs');
/** zstd's own output, with its content checksum (the tool's default) or without. */
const zstd = (...flags: string[]) => execFileSync('zstd', ['-q', '-c', ...flags, LOG]);

describe('isTruncatedZstd', () => {
  test('a whole file is whole: with or without a checksum, several frames, a skippable frame first', async () => {
    const skippable = Buffer.alloc(12);
    skippable.writeUInt32LE(0x184d2a50, 0);
    skippable.writeUInt32LE(4, 4);
    for (const bytes of [zstd(), zstd('--no-check'), Buffer.concat([zstd(), zstd('-1')]), Buffer.concat([skippable, zstd()])]) {
      expect(await isTruncatedZstd(write('whole.zst', bytes))).toBe(false);
    }
  });

  test('a file cut anywhere is truncated: inside a block, a block header, the checksum, the frame header', async () => {
    const whole = zstd();
    for (const keep of [Math.floor(whole.length * 0.6), whole.length - 1, whole.length - 4, 10, 3]) {
      expect(await isTruncatedZstd(write('cut.zst', whole.subarray(0, keep)))).toBe(true);
    }
    // The second frame cut: the first is whole, the file is not
    expect(await isTruncatedZstd(write('cut2.zst', Buffer.concat([whole, whole.subarray(0, 100)])))).toBe(true);
  });

  test('bytes that are no zstd frame are left for the reader to refuse: not truncated', async () => {
    expect(await isTruncatedZstd(write('junk.zst', Buffer.concat([zstd(), Buffer.from('garbage after')])))).toBe(false);
    expect(await isTruncatedZstd(write('text.zst', readFileSync(LOG).subarray(0, 1000)))).toBe(false);
  });
});
