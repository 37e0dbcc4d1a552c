/**
 * `loadprint run s3://bucket/prefix`: the log objects under each prefix, downloaded into a local
 * folder that mirrors bucket and key, so ALB's S3 layout and file names stay as they are and the run
 * reads local files: those listed now, not whatever else the mirror holds from earlier runs. An object already there with the same size and modification time is not fetched
 * again: with `--cache` the folder lives in the cache, so a new drop downloads only the new objects
 * (and the refresh cache, keyed by path, size and modification time, parses only those). Keys are
 * untrusted: one that could name a file outside the folder is refused.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DEFAULTS } from '../core/config';
import { InputError } from '../core/errors';
import { mapConcurrent } from '../core/map-concurrent';
import { parseS3Uri, UNSAFE_KEY } from '../core/s3-uri';

export interface FetchedPrefix {
  uri: string;
  /** The local copies of the objects listed now, in key order (not whatever else the mirror holds). */
  files: string[];
  objects: number;
  /** Objects fetched now; the rest were already there. */
  downloaded: number;
  bytes: number;
}

export interface FetchS3LogsOptions {
  client: S3Client;
  /** Folder the objects are mirrored under, as `<dir>/<bucket>/<key>`. */
  dir: string;
  /** @default DEFAULTS.s3Inputs.maxObjects */
  maxObjects?: number;
  /** @default DEFAULTS.s3Inputs.concurrency */
  concurrency?: number;
  /** Called once a location is listed (done 0) and after each of its objects is in place. */
  onProgress?: (uri: string, done: number, total: number) => void;
}

/**
 * A client for any bucket: credentials from the SDK's usual chain (AWS_PROFILE, SSO, environment), the
 * region from AWS_REGION, and S3's redirect followed to a bucket in another one.
 */
export function logsClient(env: NodeJS.ProcessEnv): S3Client {
  return new S3Client({ region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1', followRegionRedirects: true });
}

/** Every object under each location, mirrored into `o.dir`; one entry per location, in order. */
export async function fetchS3Logs(uris: readonly string[], o: FetchS3LogsOptions): Promise<FetchedPrefix[]> {
  const out: FetchedPrefix[] = [];
  for (const uri of uris) {
    const { bucket, prefix } = parseS3Uri(uri);
    const objects = await listObjects(o.client, uri, bucket, prefix, o.maxObjects ?? DEFAULTS.s3Inputs.maxObjects);
    if (objects.length === 0) throw new InputError(`${uri} holds no objects; check the bucket and prefix`);
    const root = path.join(o.dir, bucket);
    const files = objects.map((obj) => localPath(root, obj.key, uri));
    let done = 0;
    o.onProgress?.(uri, done, objects.length);
    const fetched = await mapConcurrent(objects.map((obj, i) => ({ obj, file: files[i]! })), o.concurrency ?? DEFAULTS.s3Inputs.concurrency, async (x) => {
      const downloaded = await fetchObject(o.client, uri, bucket, x.obj, x.file);
      o.onProgress?.(uri, ++done, objects.length);
      return downloaded;
    });
    out.push({ uri, files, objects: objects.length, downloaded: fetched.filter(Boolean).length, bytes: objects.reduce((a, x) => a + x.size, 0) });
  }
  return out;
}

interface ListedObject {
  key: string;
  size: number;
  modified: Date;
}

async function listObjects(client: S3Client, uri: string, bucket: string, prefix: string, max: number): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3Call(uri, 'list', () =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })),
    );
    for (const c of page.Contents ?? []) {
      // "Folder" placeholders (keys ending in /) hold no log lines.
      if (c.Key === undefined || c.Key.endsWith('/')) continue;
      objects.push({ key: c.Key, size: c.Size ?? 0, modified: c.LastModified ?? new Date(0) });
    }
    if (objects.length > max) throw new InputError(`${uri} holds more than ${max} objects; narrow the prefix (to a month or a day)`);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** Where a key is mirrored; a key that could leave the folder (UNSAFE_KEY, or an empty segment) is refused. */
function localPath(root: string, key: string, uri: string): string {
  const segments = key.split('/');
  if (UNSAFE_KEY.test(key) || segments.includes('')) {
    throw new InputError(`${uri}: the key ${JSON.stringify(key.slice(0, 200))} cannot be a local file name; narrow the prefix to leave it out`);
  }
  return path.join(root, ...segments);
}

/** Downloads one object unless the same size and time are already there; true when it did. */
async function fetchObject(client: S3Client, uri: string, bucket: string, obj: ListedObject, file: string): Promise<boolean> {
  const have = await stat(file).catch(() => undefined);
  if (have && have.size === obj.size && have.mtimeMs === obj.modified.getTime()) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.part`;
  const res = await s3Call(uri, 'read', () => client.send(new GetObjectCommand({ Bucket: bucket, Key: obj.key })));
  await pipeline(res.Body as Readable, createWriteStream(partial));
  // Renamed when whole: an interrupted download never passes for a log file.
  await rename(partial, file);
  await utimes(file, obj.modified, obj.modified);
  return true;
}

/** An S3 call whose failure (credentials, permissions, a missing bucket) is one line for the user. */
async function s3Call<T>(uri: string, what: 'list' | 'read', call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e: unknown) {
    const name = e instanceof Error ? e.name : 'Error';
    const message = e instanceof Error ? e.message : String(e);
    throw new InputError(
      `cannot ${what} ${uri}: ${name === message ? name : `${name}: ${message}`}; check the AWS credentials and permissions (AWS_PROFILE, AWS_REGION)`,
      { cause: e },
    );
  }
}
