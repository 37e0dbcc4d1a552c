/**
 * The port the log writers write through: a folder locally (lib/adapters/fs-log-sink.ts), memory in
 * tests. Writers hand over text and say whether the file is gzip; compression and atomic renames are
 * the sink's business.
 */

export interface LogFileWriter {
  /** Appends text; resolves when the sink can take more (backpressure). */
  write(text: string): Promise<void>;
  /** Finishes the file: after this resolves it is complete under its final name. */
  close(): Promise<void>;
}

export interface LogSink {
  /** Creates a new file at a relative, `/`-separated path. */
  create(path: string, opts: { gzip: boolean }): LogFileWriter;
  /**
   * Writes a whole small file at once (ALB's 5-minute files): optional, for sinks where one call
   * is much cheaper than a stream per file.
   */
  writeWhole?(path: string, text: string, opts: { gzip: boolean }): Promise<void>;
}

/** Keeps written files in memory (plain text, gzip flag recorded): for tests and in-process use. */
export class MemorySink implements LogSink {
  readonly files = new Map<string, { gzip: boolean; text: string; closed: boolean }>();

  create(path: string, opts: { gzip: boolean }): LogFileWriter {
    if (this.files.has(path)) throw new Error(`MemorySink: ${path} was already written`);
    const file = { gzip: opts.gzip, text: '', closed: false };
    this.files.set(path, file);
    return {
      write: (text: string) => {
        if (file.closed) return Promise.reject(new Error(`MemorySink: ${path} is closed`));
        file.text += text;
        return Promise.resolve();
      },
      close: () => {
        file.closed = true;
        return Promise.resolve();
      },
    };
  }

  /** Text of a file, throwing when it was never written (a test's clearest failure). */
  text(path: string): string {
    const f = this.files.get(path);
    if (!f) throw new Error(`MemorySink: no file ${path}; have ${[...this.files.keys()].slice(0, 5).join(', ')}`);
    return f.text;
  }
}
