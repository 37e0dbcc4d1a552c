/**
 * Reading an Athena query's result file (`<OutputLocation>`: CSV with a header row, every value in
 * double quotes, `""` for a quote, NULL as an empty unquoted field) from S3.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseCsv } from '../../lib/core/csv';

/** s3://bucket/key -> parts; anything else is a bug in the state. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`not an S3 object location: ${uri.slice(0, 200)}`);
  return { bucket: m[1]!, key: m[2]! };
}

/** The result's rows as objects keyed by the header. */
export async function readAthenaCsv(s3: S3Client, outputLocation: string): Promise<Record<string, string>[]> {
  const { bucket, key } = parseS3Uri(outputLocation);
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = res.Body ? await res.Body.transformToString('utf-8') : '';
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
