/** DuckDB in process for the persona SQL tests: load feature columns as a table, run a query. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeatureColumns } from '../../../lib/core/personas/feature-space';

export interface Duck {
  connection: DuckDBConnection;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    connection,
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[],
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Loads columns as table `name` with a row id `rid`; `is_bot_ua` becomes BOOLEAN as in the features
 * SQL, so the assignment's casts are exercised. Goes through a CSV file (fast for 20k rows).
 */
export async function loadColumns(duck: Duck, name: string, columns: FeatureColumns): Promise<void> {
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.length;
  const lines = [['rid', ...names].join(',')];
  for (let i = 0; i < n; i++) lines.push([i, ...names.map((c) => String(columns[c]![i]))].join(','));
  const dir = mkdtempSync(path.join(tmpdir(), 'personas-'));
  try {
    const file = path.join(dir, 'rows.csv');
    writeFileSync(file, lines.join('\n'));
    const select = names.map((c) => (c === 'is_bot_ua' ? `CAST("${c}" AS DOUBLE) >= 0.5 AS "${c}"` : `CAST("${c}" AS DOUBLE) AS "${c}"`));
    await duck.connection.run(`CREATE TABLE "${name}" AS SELECT CAST(rid AS BIGINT) AS rid, ${select.join(', ')} FROM read_csv('${file}', header = true, all_varchar = true)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
