/**
 * Timestamp formatting for the log writers, fast enough for millions of lines: the date part is
 * cached per second, only the fraction is formatted per line. All times are UTC.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let cachedSecond = NaN;
let cachedIso = '';

/** `2026-11-02T10:00:00` for the whole second containing t (epoch seconds). */
function isoSecond(sec: number): string {
  if (sec !== cachedSecond) {
    cachedSecond = sec;
    cachedIso = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return cachedIso;
}

/** Splits t into whole seconds and a fraction with `digits` digits, carrying rounding into the second. */
function split(t: number, digits: number): [number, string] {
  const scale = 10 ** digits;
  let sec = Math.floor(t);
  let frac = Math.round((t - sec) * scale);
  if (frac >= scale) {
    sec += 1;
    frac -= scale;
  }
  return [sec, String(frac).padStart(digits, '0')];
}

/** ISO-8601 with microseconds: `2026-11-02T10:00:00.123456Z` (ALB `time`). */
export function isoMicros(t: number): string {
  const [sec, frac] = split(t, 6);
  return `${isoSecond(sec)}.${frac}Z`;
}

/** ISO-8601 with milliseconds: `2026-11-02T10:00:00.123Z`. */
export function isoMillis(t: number): string {
  const [sec, frac] = split(t, 3);
  return `${isoSecond(sec)}.${frac}Z`;
}

/** ALB `request_creation_time`: millisecond resolution written with six digits (`.123000Z`). */
export function isoMillisAsMicros(t: number): string {
  const [sec, frac] = split(t, 3);
  return `${isoSecond(sec)}.${frac}000Z`;
}

/** Common Log Format time: `02/Nov/2026:10:00:00 +0000` (whole seconds, truncated like nginx). */
export function clfTime(t: number): string {
  const iso = isoSecond(Math.floor(t));
  const month = MONTHS[Number(iso.slice(5, 7)) - 1] ?? 'Jan';
  return `${iso.slice(8, 10)}/${month}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`;
}

/** CloudFront `date` and `time` fields (whole seconds). */
export function cloudfrontDateTime(t: number): [string, string] {
  const iso = isoSecond(Math.floor(t));
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

/** `20261102T1005Z`-style compact UTC stamp (ALB file names) of a whole-minute time. */
export function compactMinute(t: number): string {
  const iso = new Date(Math.floor(t) * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** `yyyy/mm/dd` of t (ALB S3 prefixes). */
export function datePath(t: number): string {
  const iso = new Date(Math.floor(t) * 1000).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
}
