import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderStore } from '../../lib/adapters/folder-store';
import { UnsafeKeyError } from '../../lib/core/api/store-key';

describe('FolderStore', () => {
  let base: string;
  let root: string;
  let store: FolderStore;
  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'lp-folder-'));
    root = path.join(base, 'results');
    await mkdir(root);
    await writeFile(path.join(base, 'secret.txt'), 'TOP-SECRET');
    store = new FolderStore(root);
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('writes, reads and lists one level, creating folders as needed', async () => {
    await store.put('runs/r1/manifest.json', '{"a":1}');
    await store.put('runs/r2/model.json', Buffer.from('{}'));
    expect((await store.get('runs/r1/manifest.json'))?.toString()).toBe('{"a":1}');
    expect(await store.list('runs/')).toEqual(['r1', 'r2']);
    expect(await store.list('')).toEqual(['runs']);
    expect(await store.get('runs/r3/manifest.json')).toBeUndefined();
    expect(await store.get('runs/r1')).toBeUndefined(); // a folder is not an object
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('replaces a file through a temporary name, leaving no temporary file behind', async () => {
    await store.put('latest.json', '{"runId":"a"}');
    await store.put('latest.json', '{"runId":"b"}');
    expect((await store.get('latest.json'))?.toString()).toBe('{"runId":"b"}');
    expect(await readdir(root)).toEqual(['latest.json']);
  });

  it.each(['../secret.txt', 'runs/../../secret.txt', '/etc/passwd', 'runs//x', './x', 'a\\..\\b', 'a\u0000', ''])(
    'refuses key %j before any I/O',
    async (key) => {
      await expect(store.get(key)).rejects.toBeInstanceOf(UnsafeKeyError);
      await expect(store.put(key, 'x')).rejects.toBeInstanceOf(UnsafeKeyError);
    },
  );

  it('refuses list prefixes that climb out', async () => {
    await expect(store.list('../')).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(store.list('runs/../../')).rejects.toBeInstanceOf(UnsafeKeyError);
  });

  it('refuses to read, list or write through symlinks that lead outside the root', async () => {
    // Given a file symlink and a folder symlink pointing out of the root
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'leak.txt'));
    await symlink(base, path.join(root, 'outside'));
    // Then none of them is followed
    await expect(store.get('leak.txt')).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(store.get('outside/secret.txt')).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(store.list('outside/')).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(store.put('outside/planted.txt', 'x')).rejects.toBeInstanceOf(UnsafeKeyError);
    expect(await readdir(base)).not.toContain('planted.txt');
  });

  it('follows symlinks that stay inside the root', async () => {
    await store.put('runs/r1/model.json', '{"m":1}');
    await symlink(path.join(root, 'runs', 'r1'), path.join(root, 'runs', 'alias'));
    expect((await store.get('runs/alias/model.json'))?.toString()).toBe('{"m":1}');
  });

  it('works when the root itself is reached through a symlink', async () => {
    await store.put('x.json', '1');
    await symlink(root, path.join(base, 'link-to-results'));
    const viaLink = new FolderStore(path.join(base, 'link-to-results'));
    expect((await viaLink.get('x.json'))?.toString()).toBe('1');
  });
});
