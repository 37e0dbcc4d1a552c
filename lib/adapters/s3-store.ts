/**
 * A ResultsStore over an S3 bucket and key prefix (the API Lambda, the AWS pipeline). Same key
 * rules as the folder store (assertSafeKey before any request); a PUT is atomic in S3, so readers
 * never see half an object. `list()` is one level deep, via the `/` delimiter.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { assertSafeKey } from '../core/api/store-key';
import type { ResultsStore } from '../core/types';

export interface S3StoreProps {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix of the results root, e.g. `results/`. @default '' (bucket root) */
  readonly prefix?: string;
  /** Safety bound on ListObjectsV2 pages for one list() call (1000 keys each). @default 100 */
  readonly maxListPages?: number;
}

const DEFAULT_MAX_LIST_PAGES = 100;

export class S3Store implements ResultsStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly maxListPages: number;

  constructor(props: S3StoreProps) {
    if (!props.bucket) throw new Error('S3Store needs a bucket name');
    const prefix = props.prefix ?? '';
    if (prefix !== '') assertSafeKey(prefix, true);
    this.client = props.client;
    this.bucket = props.bucket;
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.maxListPages = props.maxListPages ?? DEFAULT_MAX_LIST_PAGES;
  }

  async get(key: string): Promise<Buffer | undefined> {
    assertSafeKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      if (!res.Body) return undefined;
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (e: unknown) {
      if (e instanceof NoSuchKey || (e as { name?: string } | undefined)?.name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  async put(key: string, body: string | Buffer, contentType?: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: body,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  async list(prefix: string): Promise<string[]> {
    assertSafeKey(prefix, true);
    const full = this.prefix + (prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`);
    const names = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < this.maxListPages; page++) {
      const res = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: full,
          Delimiter: '/',
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const p of res.CommonPrefixes ?? []) {
        const name = (p.Prefix ?? '').slice(full.length).replace(/\/$/, '');
        if (name) names.add(name);
      }
      for (const o of res.Contents ?? []) {
        const name = (o.Key ?? '').slice(full.length);
        if (name && !name.includes('/')) names.add(name);
      }
      if (!res.IsTruncated || !res.NextContinuationToken) break;
      token = res.NextContinuationToken;
    }
    return [...names].sort();
  }
}
