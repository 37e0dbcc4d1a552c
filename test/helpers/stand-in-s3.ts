/**
 * A stand-in S3 on 127.0.0.1 for code that reaches S3 through the real AWS SDK (AWS_ENDPOINT_URL_S3,
 * path-style requests): ListObjectsV2 with prefix, delimiter and pages, and GetObject, over a fixed
 * set of objects in one bucket. Any other bucket answers NoSuchBucket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInS3Options {
  bucket: string;
  /** Every object's key. */
  keys: readonly string[];
  /** An object's content, read when it is listed or fetched. */
  body: (key: string) => Buffer;
  /** Keys per ListObjectsV2 page. @default 1000, as S3 */
  pageSize?: number;
  /** Every object's LastModified. */
  modified?: Date;
}

export interface StandInS3 {
  /** Keys fetched with GetObject, in order. */
  readonly gets: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The environment that points the SDK at this stand-in, with dummy credentials. */
  env(): Record<string, string>;
}

export function standInS3(o: StandInS3Options): StandInS3 {
  const keys = [...o.keys].sort();
  const pageSize = o.pageSize ?? 1000;
  const modified = o.modified ?? new Date('2026-11-12T00:00:00Z');
  const gets: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://s3');
    const [, bucket, ...rest] = url.pathname.split('/');
    if (bucket !== o.bucket) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>');
      return;
    }
    if (url.searchParams.get('list-type') === '2') {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(listing(url.searchParams));
      return;
    }
    const key = decodeURIComponent(rest.join('/'));
    if (!keys.includes(key)) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    gets.push(key);
    const data = o.body(key);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length, 'last-modified': modified.toUTCString() }).end(data);
  });

  /** One page of keys under the prefix; with a delimiter, the keys below the next one roll up into common prefixes. */
  function listing(q: URLSearchParams): string {
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const entries = [
      ...new Set(
        keys
          .filter((k) => k.startsWith(prefix))
          .map((k) => {
            const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
            return cut < 0 ? k : k.slice(0, cut + delimiter.length);
          }),
      ),
    ];
    const from = Number(q.get('continuation-token') ?? 0);
    const page = entries.slice(from, from + pageSize);
    const more = from + pageSize < entries.length;
    const items = page.map((k) =>
      delimiter && k.endsWith(delimiter) && !keys.includes(k)
        ? `<CommonPrefixes><Prefix>${k}</Prefix></CommonPrefixes>`
        : `<Contents><Key>${k}</Key><LastModified>${modified.toISOString()}</LastModified><Size>${o.body(k).length}</Size></Contents>`,
    );
    return (
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${o.bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount>` +
      `<IsTruncated>${more}</IsTruncated>${more ? `<NextContinuationToken>${from + pageSize}</NextContinuationToken>` : ''}${items.join('')}</ListBucketResult>`
    );
  }

  return {
    gets,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    env: () => ({
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
  };
}
