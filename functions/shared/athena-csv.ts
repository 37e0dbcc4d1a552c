/**
 * Reading an Athena query's result file (`<OutputLocation>`: CSV with a header row, every value in
 * double quotes, `""` for a quote, NULL as an empty unquoted field) from S3.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** s3://bucket/key -> parts; anything else is a bug in the state. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`not an S3 object location: ${uri.slice(0, 200)}`);
  return { bucket: m[1]!, key: m[2]! };
}

/** RFC 4180 rows of a CSV text (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
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
