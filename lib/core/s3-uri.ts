/**
 * S3 locations as users write them (`s3://bucket/prefix`), and the keys that must not become paths:
 * shared by the AWS run starter (which passes locations on) and the local reader (which mirrors keys
 * as files).
 */
import { InputError } from './errors';

/** `s3://bucket[/prefix]`, bucket names as S3 allows them (3-63 of a-z, 0-9, `.` and `-`). */
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** A `.` or `..` segment, a backslash or a control character: a key that could name another path. */
// eslint-disable-next-line no-control-regex -- control characters never belong in a key
export const UNSAFE_KEY = /(^|\/)\.\.?(\/|$)|[\u0000-\u001f\\]/;

export interface S3Location {
  bucket: string;
  prefix: string;
}

export function isS3Uri(input: string): boolean {
  return input.startsWith('s3://');
}

/** `s3://bucket/prefix` as bucket and key prefix; undefined when it is not one. */
export function s3Location(uri: string): S3Location | undefined {
  const m = S3_URI.exec(uri);
  return m ? { bucket: m[1]!, prefix: m[2] ?? '' } : undefined;
}

/** `s3://bucket/prefix` as bucket and key prefix; an error names what is wrong with it. */
export function parseS3Uri(uri: string): S3Location {
  const location = s3Location(uri);
  if (!location) throw new InputError(`${uri} is not an S3 location; write s3://bucket/prefix`);
  return location;
}
