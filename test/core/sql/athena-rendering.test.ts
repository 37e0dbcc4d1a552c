/**
 * The Athena (Trino) rendering of every shared query, checked as text: it uses the documented Trino
 * functions and none of DuckDB's own, so what runs locally in DuckDB is what Athena will run.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { ATHENA, DUCKDB } from '../../../lib/core/sql/dialect';
import { normalizeRequestsSql } from '../../../lib/core/ingest/normalize-requests';
import { clientsSql } from '../../../lib/core/sessions/clients';
import { sessionFeaturesSql } from '../../../lib/core/sessions/session-features';
import { sessionizeSql } from '../../../lib/core/sessions/sessionize';
import { pathParamsSql, pathTemplatesSql, queryParamsSql, queryTemplatesSql } from '../../../lib/core/sessions/template-paths';
import { DEFAULTS } from '../../../lib/core/config';
import * as stats from '../../../lib/core/model/persona-stats-sql';

const T = { requests: 'requests', pathTemplates: 'pt', queryTemplates: 'qt', events: 'ev', uaFlags: 'ua', clients: 'cl' };
const O = { maxLiteralValues: 60, assetExtensions: ['js'], apiPrefixes: ['/api/'], checkoutWords: ['cart'] };
const ST = { events: 'ev', modelSessions: 'ms', endpointStates: 'es', pages: 'pg', sessions: 'se', personas: 'sp', pathParams: 'pp', queryParams: 'qp' };
const SO = { minStateSupport: 10, minStateThinkSamples: 30, arrivalBucketSeconds: 3600, paramPoolSize: 50, minResourceShare: 0.3, maxSessionsPerPersona: 20_000 };

function renderAll(d: typeof ATHENA): Record<string, string> {
  return {
    normalize: normalizeRequestsSql(d, 'parsed'),
    pathTemplates: pathTemplatesSql(d, 'requests', O),
    pathParams: pathParamsSql(d, 'pt'),
    queryTemplates: queryTemplatesSql(d, 'requests'),
    queryParams: queryParamsSql(d, 'requests'),
    clients: clientsSql(d, T),
    sessionize: sessionizeSql(d, T, { gapSeconds: DEFAULTS.ingest.sessionGapSeconds }),
    features: sessionFeaturesSql(d, T, O),
    modelSessions: stats.modelSessionsSql(d, ST, SO),
    endpointStates: stats.endpointStatesSql(d, ST, SO),
    pages: stats.pagesSql(d, ST),
    states: stats.stateStatsSql(d, ST),
    transitions: stats.transitionsSql(d, ST),
    resources: stats.resourcesSql(d, ST, SO),
    personas: stats.personaStatsSql(d, ST),
    arrivals: stats.arrivalsSql(d, ST, SO, 1_700_000_000),
    hourOfWeek: stats.hourOfWeekSql(d, ST),
    params: stats.paramValuesSql(d, ST, SO),
  };
}

/** Functions that exist in DuckDB but not in Trino (or mean something else there). */
const DUCKDB_ONLY = [
  /\bregexp_matches\(/, /\bquantile_cont\(/, /\bstring_split\(/, /\blist_\w+\(/, /\blen\(/, /\bepoch\(/,
  /\bmake_timestamp\(/, /\bstrftime\(/, /\bgenerate_series\(/, /\/\/ \d/, /\bstring_agg\(/, /\bisodow\(/, /\bmd5\([^)]*\)\s*AS/, /::/, /'g'\)/,
];

describe('Athena rendering', () => {
  const athena = renderAll(ATHENA);
  test.each(Object.entries(athena))('%s uses no DuckDB-only function', (_name, sql) => {
    for (const re of DUCKDB_ONLY) expect(sql).not.toMatch(re);
  });

  test('uses the documented Trino forms where the engines differ', () => {
    const all = Object.values(athena).join('\n');
    expect(all).toMatch(/regexp_like\(/);
    expect(all).toMatch(/approx_percentile\([^,]+, ARRAY\[0, 0\.05/);
    expect(all).toMatch(/array_join\(array_agg\(.* ORDER BY pos\), '\/'\)/);
    expect(all).toMatch(/hour\(from_unixtime\(/);
    expect(all).toMatch(/day_of_week\(from_unixtime\(/);
    expect(all).toMatch(/abs\(from_big_endian_64\(xxhash64\(to_utf8\(/);
    expect(all).toMatch(/lower\(to_hex\(to_big_endian_64\(/);
    expect(all).toMatch(/cardinality\(split\(path, '\/'\)\)/);
    expect(all).toMatch(/CROSS JOIN UNNEST\(split\(path, '\/'\)\) WITH ORDINALITY AS u\(seg, pos\)/);
    expect(all).toMatch(/CROSS JOIN UNNEST\(flatten\(transform\(sequence\(0, /);
  });

  test.each([
    [3, 25_007],
    [5, 10_004],
    [5, 10_005],
    [7, 7],
  ])('the series from %i to %i holds every whole number once, past Trino\'s 10,000-entry sequence()', async (from, to) => {
    // Trino is not here: its rendering runs in DuckDB with the names translated (integer division included).
    const asDuckDb = ATHENA.series(String(from), String(to))
      .replace(/\bsequence\(/g, 'generate_series(')
      .replace(/\btransform\(/g, 'list_transform(')
      .replace(/ \/ /g, ' // ');
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '128MB' });
    try {
      const chunks = asDuckDb.replace(/^flatten\(/, '(');
      const [r] = await engine.query<{ n: number; distinct: number; lo: number; hi: number; longest: number }>(
        `SELECT len(x) AS n, len(list_distinct(x)) AS distinct, list_min(x) AS lo, list_max(x) AS hi,
           list_max(list_transform(c, s -> len(s))) AS longest
         FROM (SELECT ${asDuckDb} AS x, ${chunks} AS c)`,
      );
      expect(r).toEqual({ n: to - from + 1, distinct: to - from + 1, lo: from, hi: to, longest: Math.min(to - from + 1, 10_000) });
    } finally {
      engine.close();
    }
  });

  test('CTAS writes Parquet in Athena', () => {
    expect(ATHENA.createTableAs('t', 'SELECT 1')).toBe(`CREATE TABLE t WITH (format = 'PARQUET') AS SELECT 1`);
  });

  test('the two renderings differ only through the dialect table', () => {
    const duck = renderAll(DUCKDB);
    for (const name of Object.keys(duck)) {
      const strip = (s: string) => s.replace(/\s+/g, ' ');
      // Same skeleton: the CTE and column names of both renderings are the same.
      const names = (s: string) => [...strip(s).matchAll(/\b(\w+) AS \(/g)].map((m) => m[1]);
      expect(names(athena[name]!)).toEqual(names(duck[name]!));
    }
  });
});
