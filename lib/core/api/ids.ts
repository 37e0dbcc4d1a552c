/**
 * What a run id, a tool name, a scenario file name and a request path may look like. These checks
 * run before anything touches a results store, so a hostile path (`..`, `%2e%2e`, `%2F`, `\`, NUL)
 * is refused at the edge instead of relying on the store alone.
 */
import type { Tool } from '../types';
import { TOOLS } from '../types';

/** Run ids are folder names: a letter or digit first, then letters, digits, `_` and `-`, 1..100 chars. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The alias resolved to the newest successful run. */
export const LATEST = 'latest';

/** File names inside a tool's scenario folder, e.g. `processor.js`: no path separators, no leading dot. */
export const SCENARIO_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9]+){1,3}$/;

/**
 * The only characters a route of this API can contain, segment by segment. Anything else (a `%`
 * left after the gateway, a backslash, a NUL, a `..` segment) cannot name a resource here.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value) && value !== LATEST;
}

export function isTool(value: string): value is Tool {
  return (TOOLS as readonly string[]).includes(value);
}

/**
 * True when `path` is made only of safe segments: no empty segment (`//`), no `.` or `..`, no
 * percent-encoding, no backslash or control character. A trailing slash is allowed.
 */
export function isSafeRequestPath(path: string): boolean {
  if (path === '/') return true;
  if (!path.startsWith('/')) return false;
  const segments = path.slice(1).split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  return segments.every((s) => SAFE_SEGMENT.test(s) && s !== '.' && s !== '..' && !s.includes('..'));
}

/**
 * A sortable run id: UTC time to the second, then a random suffix so two runs started in the same
 * second do not collide, e.g. `20261128T101500Z-a1b2c3`. Lexical order is start order.
 */
export function formatRunId(at: Date, suffix: string): string {
  const iso = at.toISOString(); // 2026-11-28T10:15:00.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const id = `${stamp}-${suffix.toLowerCase()}`;
  if (!RUN_ID_PATTERN.test(id)) throw new Error(`run id suffix must be letters or digits, got "${suffix}"`);
  return id;
}
