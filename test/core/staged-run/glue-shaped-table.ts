/**
 * Test harness: sample ALB log files loaded into a DuckDB table shaped like the Glue table Athena
 * reads (lib/log-tables.ts): the same columns and types, parsed with the table's own RegexSerDe
 * pattern (DuckDB's RE2 reads it as Java does: no lookarounds in it), plus the `day` partition from
 * the object key and Athena's hidden `"$path"`.
 */
import { ALB_COLUMNS, ALB_INPUT_REGEX } from '../../../lib/log-tables';
import { sqlString } from '../../../lib/core/sql/dialect';
import type { SqlEngine } from '../../../lib/core/types';
import { classifyUserAgent } from '../../../lib/core/sessions/user-agent-flags';

const TYPES: Record<string, string> = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE' };

export async function loadAlbGlueTable(engine: SqlEngine, table: string, files: readonly string[], s3Root: string, localRoot: string): Promise<void> {
  const names = ALB_COLUMNS.map((c) => c.name);
  const list = `[${files.map(sqlString).join(', ')}]`;
  const casts = ALB_COLUMNS.map((c) => `TRY_CAST(NULLIF(f.${c.name}, '') AS ${TYPES[c.type] ?? 'VARCHAR'}) AS "${c.name}"`);
  await engine.exec(`CREATE OR REPLACE TABLE ${table} AS
    SELECT ${casts.join(', ')},
      regexp_extract(filename, '/(\\d{4}/\\d{2}/\\d{2})/[^/]*$', 1) AS day,
      replace(filename, ${sqlString(localRoot)}, ${sqlString(s3Root)}) AS "$path"
    FROM (
      SELECT filename, regexp_extract(line, ${sqlString(`^${ALB_INPUT_REGEX}$`)}, [${names.map(sqlString).join(', ')}]) AS f
      FROM read_csv(${list}, columns = {'line': 'VARCHAR'}, delim = '\u0001', quote = '', escape = '', header = false, auto_detect = false, filename = true)
      WHERE line <> ''
    ) x`);
}

/** What Athena's regexp_like over isbot's pattern computes; DuckDB's RE2 cannot run that pattern. */
export async function loadUserAgentFlags(engine: SqlEngine, source: string, table: string): Promise<void> {
  const uas = await engine.query<{ user_agent: string }>(`SELECT DISTINCT user_agent FROM ${source} WHERE user_agent IS NOT NULL`);
  await engine.exec(`CREATE OR REPLACE TABLE ${table} (user_agent VARCHAR, is_bot_ua BOOLEAN, machine_ua BOOLEAN)`);
  for (let i = 0; i < uas.length; i += 500) {
    const values = uas.slice(i, i + 500).map((r) => classifyUserAgent(r.user_agent)).map((f) => `(${sqlString(f.user_agent)}, ${f.is_bot_ua}, ${f.machine_ua})`);
    if (values.length > 0) await engine.exec(`INSERT INTO ${table} VALUES ${values.join(', ')}`);
  }
}
