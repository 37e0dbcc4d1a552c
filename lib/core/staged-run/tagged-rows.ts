/**
 * Many small result sets in ONE query result: each part's rows are tagged with a `kind` and carried
 * as one JSON object text (`payload`), so a single Athena execution (one Step Functions task) can
 * answer every statistics query of a step, and the reader gets typed values back (numbers, arrays,
 * NULLs) instead of Athena's CSV rendering of them.
 */
import type { Dialect } from '../sql/dialect';
import { sqlString } from '../sql/dialect';
import type { SqlRow, SqlValue } from '../types';

export interface TaggedPart {
  readonly kind: string;
  /** A SELECT returning exactly `columns`. */
  readonly sql: string;
  readonly columns: readonly string[];
}

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The JSON object text of a row of relation `alias`, with the given columns as keys. */
export function jsonRowSql(d: Dialect, columns: readonly string[], alias: string): string {
  for (const c of columns) if (!COLUMN.test(c)) throw new Error(`tagged rows: bad column name ${c}`);
  const ref = (c: string): string => `${alias}."${c}"`;
  if (d.name === 'athena') {
    // MAP(varchar, json) casts to a JSON object; CAST(x AS JSON) keeps strings strings (no parsing).
    const keys = columns.map((c) => sqlString(c)).join(', ');
    const values = columns.map((c) => `CAST(${ref(c)} AS JSON)`).join(', ');
    return `json_format(CAST(MAP(ARRAY[${keys}], ARRAY[${values}]) AS JSON))`;
  }
  return `CAST(json_object(${columns.map((c) => `${sqlString(c)}, ${ref(c)}`).join(', ')}) AS VARCHAR)`;
}

/** `SELECT kind, payload` over every part, as one UNION ALL. */
export function taggedUnionSql(d: Dialect, parts: readonly TaggedPart[]): string {
  return parts
    .map((p) => `SELECT ${sqlString(p.kind)} AS kind, ${jsonRowSql(d, p.columns, 'q')} AS payload FROM (${p.sql}\n) q`)
    .join('\nUNION ALL\n');
}

export interface TaggedRow {
  readonly kind: string;
  readonly payload: string;
}

/** Rows grouped by kind, payloads parsed (kinds without rows map to []). */
export function untag(rows: Iterable<TaggedRow>, kinds: readonly string[] = []): Map<string, SqlRow[]> {
  const out = new Map<string, SqlRow[]>(kinds.map((k) => [k, []]));
  for (const r of rows) {
    const parsed = JSON.parse(r.payload) as Record<string, SqlValue>;
    const list = out.get(r.kind) ?? [];
    list.push(parsed);
    out.set(r.kind, list);
  }
  return out;
}
