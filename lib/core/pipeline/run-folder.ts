/**
 * A run folder is staged under a temporary name and renamed into place when complete, so readers
 * (the API, `watch`, a user's script) never see a half-written run. A failed run still lands, with a
 * manifest saying why, so the failure is visible where the results would have been.
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionError } from '../errors';

/**
 * Refuses, before any work, a run folder that could not be written: a file in its place, or a parent
 * (the nearest that exists) that is a file or that this user may not write to, since the run is staged
 * beside the folder and renamed into place. Nothing is created: bad input still leaves nothing behind.
 */
export async function checkRunFolderPath(dir: string): Promise<void> {
  const final = path.resolve(dir);
  const existing = await fs.stat(final).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new OptionError(`cannot write the run folder ${dir}: it is a file; pass --out a folder path`);
  for (let at = path.dirname(final); ; at = path.dirname(at)) {
    const stat = await fs.stat(at).catch(() => undefined);
    if (!stat) {
      if (path.dirname(at) === at) return;
      continue;
    }
    if (!stat.isDirectory()) throw new OptionError(`cannot write the run folder ${dir}: ${at} is a file, not a folder; pass --out another path`);
    const writable = await fs.access(at, constants.W_OK).then(() => true, () => false);
    if (!writable) throw new OptionError(`cannot write the run folder ${dir}: this user may not write to ${at}; pass --out a folder you can write to`);
    return;
  }
}

export class RunFolder {
  private constructor(
    readonly finalDir: string,
    readonly stagingDir: string,
  ) {}

  static async create(finalDir: string): Promise<RunFolder> {
    const parent = path.dirname(path.resolve(finalDir));
    await fs.mkdir(parent, { recursive: true });
    const stagingDir = path.join(parent, `.${path.basename(finalDir)}.tmp-${process.pid}-${Date.now()}`);
    await fs.mkdir(stagingDir, { recursive: true });
    return new RunFolder(path.resolve(finalDir), stagingDir);
  }

  path(relative: string): string {
    return path.join(this.stagingDir, relative);
  }

  async write(relative: string, content: string | Buffer): Promise<void> {
    const target = this.path(relative);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content);
  }

  async writeJson(relative: string, value: unknown): Promise<void> {
    await this.write(relative, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Moves the staged folder into place, replacing an earlier run folder of the same name. */
  async commit(): Promise<void> {
    const old = `${this.finalDir}.old-${process.pid}-${Date.now()}`;
    const existed = await fs
      .rename(this.finalDir, old)
      .then(() => true)
      .catch(() => false);
    await fs.rename(this.stagingDir, this.finalDir);
    if (existed) await fs.rm(old, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    await fs.rm(this.stagingDir, { recursive: true, force: true });
  }
}
