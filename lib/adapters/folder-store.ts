/**
 * A ResultsStore over a local folder (`loadprint serve`, `watch`, local runs). Writes go to a
 * temporary name and are renamed into place, so readers never see half a file. Every key is
 * checked (assertSafeKey) and resolved inside the root; reads through a symlink that points
 * outside the root are refused, so nothing outside the results root is ever read or written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, UnsafeKeyError } from '../core/api/store-key';
import type { ResultsStore } from '../core/types';

/** Marks our in-flight temporary files so list() never reports them. */
const TEMP_MARK = '.lp-tmp-';

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

export class FolderStore implements ResultsStore {
  private readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The root with symlinks resolved (the root itself may be a symlink; what is below it may not escape). */
  private async resolvedRoot(): Promise<string> {
    this.realRoot ??= mkdir(this.root, { recursive: true }).then(() => realpath(this.root));
    return this.realRoot;
  }

  /** Absolute path for a key, refused unless it stays under the root once symlinks are followed. */
  private async locate(key: string, allowPrefix = false): Promise<string> {
    assertSafeKey(key, allowPrefix);
    const root = await this.resolvedRoot();
    const full = path.resolve(root, key);
    if (full !== root && !full.startsWith(root + path.sep)) throw new UnsafeKeyError(key);
    return full;
  }

  /** Throws when `full` (which exists) is really somewhere outside the root. */
  private async assertInside(full: string, key: string): Promise<void> {
    const root = await this.resolvedRoot();
    const real = await realpath(full);
    if (real !== root && !real.startsWith(root + path.sep)) throw new UnsafeKeyError(key);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const full = await this.locate(key);
    try {
      await this.assertInside(full, key);
      return await readFile(full);
    } catch (e: unknown) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async put(key: string, body: string | Buffer): Promise<void> {
    const full = await this.locate(key);
    const dir = path.dirname(full);
    await mkdir(dir, { recursive: true });
    await this.assertInside(dir, key); // a symlinked folder on the way must not redirect the write
    const temp = path.join(dir, `${TEMP_MARK}${path.basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await writeFile(temp, body);
      await rename(temp, full);
    } catch (e: unknown) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const full = await this.locate(prefix, true);
    try {
      await this.assertInside(full, prefix);
      const names = await readdir(full);
      return names.filter((n) => !n.startsWith(TEMP_MARK)).sort();
    } catch (e: unknown) {
      if (isMissing(e)) return [];
      throw e;
    }
  }
}
