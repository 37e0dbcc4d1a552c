/**
 * Test double: an in-memory S3 behind aws-sdk-client-mock (PutObject, GetObject, ListObjectsV2 with
 * prefix and pagination), so the step handlers' real S3 calls run against buckets a test can read.
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

export type Buckets = Map<string, Map<string, Buffer>>;

function bodyOf(buf: Buffer) {
  return {
    transformToByteArray: async () => new Uint8Array(buf),
    transformToString: async () => buf.toString('utf8'),
  };
}

export function fakeS3(buckets: Buckets = new Map()) {
  const client = new S3Client({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const bucket = (name: string | undefined): Map<string, Buffer> => {
    const b = buckets.get(name ?? '') ?? new Map<string, Buffer>();
    buckets.set(name ?? '', b);
    return b;
  };
  mock.on(PutObjectCommand).callsFake(async (input: { Bucket?: string; Key?: string; Body?: string | Buffer }) => {
    bucket(input.Bucket).set(input.Key ?? '', Buffer.isBuffer(input.Body) ? input.Body : Buffer.from(String(input.Body ?? '')));
    return {};
  });
  mock.on(GetObjectCommand).callsFake(async (input: { Bucket?: string; Key?: string }) => {
    const buf = bucket(input.Bucket).get(input.Key ?? '');
    if (!buf) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return { Body: bodyOf(buf) };
  });
  mock.on(ListObjectsV2Command).callsFake(async (input: { Bucket?: string; Prefix?: string; ContinuationToken?: string; Delimiter?: string }) => {
    const keys = [...bucket(input.Bucket).keys()].filter((k) => k.startsWith(input.Prefix ?? '')).sort();
    if (input.Delimiter) {
      const prefixes = new Set<string>();
      const contents: { Key: string; Size: number }[] = [];
      for (const k of keys) {
        const rest = k.slice((input.Prefix ?? '').length);
        const i = rest.indexOf(input.Delimiter);
        if (i >= 0) prefixes.add((input.Prefix ?? '') + rest.slice(0, i + 1));
        else contents.push({ Key: k, Size: bucket(input.Bucket).get(k)!.length });
      }
      return { Contents: contents, CommonPrefixes: [...prefixes].map((Prefix) => ({ Prefix })), IsTruncated: false };
    }
    const start = Number(input.ContinuationToken ?? 0);
    const page = keys.slice(start, start + 1000);
    const more = start + 1000 < keys.length;
    return { Contents: page.map((Key) => ({ Key, Size: bucket(input.Bucket).get(Key)!.length })), IsTruncated: more, ...(more ? { NextContinuationToken: String(start + 1000) } : {}) };
  });
  return { client, mock, buckets, bucket };
}

/** Rows as Athena writes a result file: header, every value double-quoted, NULL empty. */
export function athenaCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
  return [columns.map((c) => `"${c}"`).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
