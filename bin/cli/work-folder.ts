/**
 * A command's scratch folder in the system's temporary folder (DuckDB's spill files, a piped log, S3
 * copies): an unusable TMPDIR is the user's to fix, and said so in one line.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OptionError } from '../../lib/core/errors';

export async function makeWorkFolder(prefix: string): Promise<string> {
  try {
    return await mkdtemp(path.join(os.tmpdir(), prefix));
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new OptionError(`cannot make a work folder in ${os.tmpdir()} (${code}); set TMPDIR to a folder you can write to`);
  }
}
