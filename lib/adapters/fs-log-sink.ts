/**
 * The simulator's LogSink on the local file system: files are written under a root folder, gzip'd
 * when asked, under a temporary name renamed into place on close, so a reader (or an interrupted run)
 * never sees half a log file. Also a helper that truncates a .gz file, for tests of damaged input.
 */
import { createWriteStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import type { Gzip } from 'node:zlib';
import { DEFAULTS } from '../core/config';
import type { LogFileWriter, LogSink } from '../core/simulate/sink';

export class FsLogSink implements LogSink {
  private readonly dirs = new Set<string>();

  constructor(
    readonly root: string,
    private readonly gzipLevel: number = DEFAULTS.simulate.gzipLevel,
  ) {}

  private resolve(relPath: string): string {
    const root = path.resolve(this.root);
    const finalPath = path.resolve(root, ...relPath.split('/'));
    if (!finalPath.startsWith(root + path.sep)) throw new Error(`FsLogSink: ${relPath} is outside ${this.root}`);
    const dir = path.dirname(finalPath);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    return finalPath;
  }

  /** Small files in one synchronous call: a stream per 5-minute ALB file spends most time waiting. */
  writeWhole(relPath: string, text: string, opts: { gzip: boolean }): Promise<void> {
    const finalPath = this.resolve(relPath);
    const tmpPath = `${finalPath}.tmp-${process.pid}`;
    writeFileSync(tmpPath, opts.gzip ? gzipSync(text, { level: this.gzipLevel }) : text);
    renameSync(tmpPath, finalPath);
    return Promise.resolve();
  }

  create(relPath: string, opts: { gzip: boolean }): LogFileWriter {
    const finalPath = this.resolve(relPath);
    const tmpPath = `${finalPath}.tmp-${process.pid}`;
    const out: WriteStream = createWriteStream(tmpPath);
    const gzip: Gzip | undefined = opts.gzip ? createGzip({ level: this.gzipLevel }) : undefined;
    if (gzip) gzip.pipe(out);
    const head = gzip ?? out;
    let failed: Error | undefined;
    const onError = (e: Error): void => {
      failed ??= e;
    };
    out.on('error', onError);
    gzip?.on('error', onError);
    return {
      async write(text: string): Promise<void> {
        if (failed) throw failed;
        if (!head.write(text)) await once(head, 'drain');
      },
      async close(): Promise<void> {
        if (failed) throw failed;
        head.end();
        if (out.writableFinished) return renameSync(tmpPath, finalPath);
        await once(out, 'finish');
        if (failed) throw failed;
        renameSync(tmpPath, finalPath);
      },
    };
  }
}

/**
 * Cuts a file to `keepFraction` of its bytes (at least 1 byte kept, the last byte always dropped):
 * a .gz truncated like an interrupted upload, whose gzip trailer is missing.
 */
export function truncateFile(file: string, keepFraction: number): number {
  const bytes = readFileSync(file);
  const keep = Math.max(1, Math.min(bytes.length - 1, Math.floor(bytes.length * keepFraction)));
  writeFileSync(file, bytes.subarray(0, keep));
  return keep;
}
