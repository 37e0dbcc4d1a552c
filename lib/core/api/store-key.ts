/**
 * The one rule both results stores (folder and S3) apply to keys, so they refuse the same things:
 * relative `/`-separated keys with no empty, `.` or `..` segment, no backslash and no control
 * character. A store that gets such a key throws UnsafeKeyError before any I/O.
 */

/** A key that could name something outside the results root. */
export class UnsafeKeyError extends Error {
  override readonly name = 'UnsafeKeyError';
  constructor(readonly key: string) {
    super(`refused results-store key ${JSON.stringify(key.slice(0, 200))}: it could leave the results root`);
  }
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\\\u0000-\u001f\u007f]/;

/**
 * Throws unless `key` is safe. `allowPrefix` accepts the `list()` form: empty (the root) or ending
 * in `/`.
 */
export function assertSafeKey(key: string, allowPrefix = false): void {
  if (allowPrefix && key === '') return;
  const body = allowPrefix && key.endsWith('/') ? key.slice(0, -1) : key;
  if (body === '' || body.startsWith('/') || FORBIDDEN.test(body)) throw new UnsafeKeyError(key);
  for (const segment of body.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw new UnsafeKeyError(key);
  }
}
