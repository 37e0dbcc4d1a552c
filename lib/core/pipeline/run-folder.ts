/**
 * A run folder is staged under a temporary name and renamed into place when complete, so readers
 * (the API, `watch`, a user's script) never see a half-written run. A failed run still lands, with a
 * manifest saying why, so the failure is visible where the results would have been.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

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
