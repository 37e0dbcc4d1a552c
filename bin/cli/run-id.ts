/**
 * Run ids sort by time (`20261128T101500Z-a1b2c3`), so listing runs newest first is a string sort.
 */
import { randomBytes } from 'node:crypto';
import { formatRunId } from '../../lib/core/api/ids';
import type { SqlEngine } from '../../lib/core/types';
import { version } from '../../package.json';

export function newRunId(now: Date): string {
  return formatRunId(now, randomBytes(3).toString('hex'));
}

export async function versions(engine: SqlEngine): Promise<Record<string, string>> {
  const [row] = await engine.query<{ v: string }>('SELECT version() AS v');
  return { loadprint: version, node: process.version, duckdb: String(row?.v ?? 'unknown') };
}
