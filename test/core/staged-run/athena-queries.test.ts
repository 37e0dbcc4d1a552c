/**
 * The two statements the AWS pipeline sends to Athena, rendered for Athena and checked as text: every
 * function called is a documented Trino function (a closed list: a new one must be looked up and
 * added here), none of DuckDB's own appear, and the partition predicate and window are in place.
 */
import { ATHENA } from '../../../lib/core/sql/dialect';
import { fitPersonas, FEATURE_SPECS } from '../../../lib/core/personas';
import { sessionChainCtes } from '../../../lib/core/staged-run/session-chain';
import { logSourceSql } from '../../../lib/core/staged-run/source-select';
import { featuresQuerySql, SAMPLE_COLUMNS, statisticsQuerySql } from '../../../lib/core/staged-run/staged-queries';

/** Trino functions (trino.io/docs/current/functions) the statements may call. */
const TRINO_FUNCTIONS = new Set([
  'abs', 'approx_percentile', 'array_agg', 'array_distinct', 'array_join', 'array_sort', 'avg', 'cardinality', 'coalesce',
  'count', 'day_of_week', 'element_at', 'flatten', 'floor', 'from_big_endian_64', 'from_iso8601_timestamp', 'from_unixtime', 'greatest',
  'hour', 'json_format', 'lag', 'lead', 'least', 'length', 'ln', 'lower', 'max', 'min', 'nullif', 'regexp_extract',
  'regexp_like', 'regexp_replace', 'row_number', 'split', 'split_part', 'sqrt', 'stddev_pop', 'strpos', 'substr', 'sum',
  'to_big_endian_64', 'to_hex', 'to_iso8601', 'to_unixtime', 'to_utf8', 'trim', 'try', 'upper', 'url_decode', 'xxhash64',
  'variance', 'var_pop', 'exp', 'power', 'round', 'stddev', 'stddev_samp', 'sign', 'concat', 'md5', 'reverse', 'unnest', 'sequence', 'transform', 'grouping',
]);
/** SQL syntax that looks like a call. */
const SYNTAX = new Set(['as', 'in', 'over', 'array', 'map', 'cast', 'and', 'or', 'not', 'exists', 'on', 'from', 'select', 'when', 'then', 'else', 'with', 'join', 'by', 'where', 'u', 'filter', 'escape', 'values', 'is', 'all', 'union', 'end', 'using', 'preceding', 'ordinality', 'like', 'row', 'distinct', 'sets']);

function calledFunctions(sql: string): Set<string> {
  const unquoted = sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
  const names = new Set<string>();
  // `AS u(seg, pos)`: an alias with column names, not a call.
  for (const m of unquoted.replace(/\bAS\s+[A-Za-z_]\w*\s*\(/gi, 'AS alias ').matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) names.add(m[1]!.toLowerCase());
  const ctes = new Set([...unquoted.matchAll(/\b([a-z_][a-z0-9_]*) AS \(/gi)].map((m) => m[1]!.toLowerCase()));
  return new Set([...names].filter((n) => !SYNTAX.has(n) && !ctes.has(n)));
}

function statements(format: 'alb' | 'cloudfront') {
  const source = logSourceSql(ATHENA, format, '"loadprint"."logs"', { partitions: "day IN ('2026/11/04')", window: { start: 1_793_750_400, end: 1_793_836_800 } });
  const chain = sessionChainCtes(ATHENA, { source, samplePredicate: 'TRUE' });
  const n = 60;
  const human = (c: string) => c === 'is_bot_ua' || c === 'robots_hits';
  const sample = Object.fromEntries(SAMPLE_COLUMNS.map((c, j) => [c, Float64Array.from({ length: n }, (_, i) => (human(c) ? 0 : ((i * (j + 3)) % 17) + (i % 3) * 5))]));
  const fit = fitPersonas(sample, { algorithm: 'kmeans', k: 3 });
  return { features: featuresQuerySql(ATHENA, chain), statistics: statisticsQuerySql(ATHENA, chain, { fit, window: { start: 1_793_750_400, end: 1_793_836_800 } }) };
}

describe('the AWS pipeline statements, rendered for Athena', () => {
  test.each(['alb', 'cloudfront'] as const)('%s: every function called is a documented Trino function', (format) => {
    for (const sql of Object.values(statements(format))) {
      const unknown = [...calledFunctions(sql)].filter((f) => !TRINO_FUNCTIONS.has(f));
      expect(unknown).toEqual([]);
    }
  });

  test('no DuckDB-only syntax, and the Trino forms where the engines differ', () => {
    const { features, statistics } = statements('alb');
    for (const sql of [features, statistics]) {
      expect(sql.replace(/'(?:[^']|'')*'/g, "''")).not.toMatch(/::|\bjson_object\(|\bepoch\(|\btry_strptime\(|\bTRY_CAST\(|\bregexp_matches\(/);
      expect(sql).toMatch(/to_unixtime\(try\(from_iso8601_timestamp\(time\)\)\)/);
      expect(sql).toMatch(/day IN \('2026\/11\/04'\)/);
      // isbot's own pattern, case-insensitive inline, decides bot user agents in SQL
      expect(sql).toMatch(/regexp_like\(user_agent, '\(\?i\)/);
    }
    expect(statistics).toMatch(/json_format\(CAST\(MAP\(ARRAY\['persona', 'state', 'endpoint'/);
    expect(statistics.match(/\bUNION ALL\b/g)?.length ?? 0).toBeGreaterThan(15);
    expect(features).toMatch(/ORDER BY s\.session_id LIMIT \d+$/);
    expect(FEATURE_SPECS.every((f) => features.includes(`"${f.column}"`))).toBe(true);
  });
});
