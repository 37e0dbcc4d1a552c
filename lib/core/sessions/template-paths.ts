/**
 * Shared SQL: raw paths and query strings to endpoint templates, computed once per DISTINCT path
 * (a small table) rather than per request.
 *
 * A segment becomes a named parameter when it is a number ({id}), a UUID ({uuid}), a hex hash
 * ({hash}), a long random token ({token}: mixed-case letters and digits, unlike a lower-case slug), or when the segments in its place (same templated prefix,
 * same depth) take more distinct values than `maxLiteralValues` ({slug}: `/p/sku-4821`). Fewer
 * distinct values stay literal (`/c/shoes`): they are distinct endpoints, not parameters. A file
 * extension on the last segment survives templating (`/img/{slug}.jpg`). Repeated kinds in one path
 * are numbered (`/a/{id}/b/{id2}`). Query strings keep their keys, sorted, values become parameters
 * named by the key (`?page={page}&q={q}`).
 */
import type { Dialect } from '../sql/dialect';

export interface TemplateOptions {
  maxLiteralValues: number;
  assetExtensions: readonly string[];
}

export function assetPattern(extensions: readonly string[]): string {
  return `\\.(${extensions.map((e) => e.replace(/[^A-Za-z0-9]/g, '')).join('|')})$`;
}

/** `path, template, is_asset` for every distinct path of `requests`. */
export function pathTemplatesSql(d: Dialect, requests: string, o: TemplateOptions): string {
  const isLastAssetSeg = `(pos = nseg AND ${d.regexpLike('lower(path)', assetPattern(o.assetExtensions))})`;
  return `
WITH paths AS (SELECT DISTINCT path FROM ${requests}),
segs AS (
  SELECT path, seg, pos, ${d.arrayLength(d.split('path', '/'))} AS nseg
  FROM paths CROSS JOIN UNNEST(${d.split('path', '/')}) WITH ORDINALITY AS u(seg, pos)
),
stems AS (
  SELECT path, pos, nseg, seg,
    CASE WHEN ${isLastAssetSeg} THEN COALESCE(NULLIF(regexp_extract(seg, '(\\.[A-Za-z0-9]{1,8})$', 1), ''), '') ELSE '' END AS ext
  FROM segs
),
kinds AS (
  SELECT path, pos, nseg, seg, ext, stem,
    CASE WHEN stem = '' THEN NULL
         WHEN ${d.regexpLike('stem', '^[0-9]+$')} THEN 'id'
         WHEN ${d.regexpLike('stem', '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')} THEN 'uuid'
         WHEN ${d.regexpLike('stem', '^[0-9a-fA-F]{12,}$')} AND ${d.regexpLike('stem', '[0-9]')} AND ${d.regexpLike('stem', '[a-fA-F]')} THEN 'hash'
         WHEN length(stem) >= 20 AND ${d.regexpLike('stem', '^[A-Za-z0-9_=-]+$')} AND ${d.regexpLike('stem', '[0-9]')}
              AND ${d.regexpLike('stem', '[a-z]')} AND ${d.regexpLike('stem', '[A-Z]')} THEN 'token'
    END AS kind
  FROM (SELECT *, substr(seg, 1, length(seg) - length(ext)) AS stem FROM stems) s
),
prefixed AS (
  SELECT *, ${d.precedingJoin(`CASE WHEN kind IS NULL THEN seg ELSE '{' || kind || '}' END`, '/', 'path', 'pos')} AS prefix
  FROM kinds
),
cardinality AS (
  SELECT prefix, pos, ext, count(DISTINCT stem) AS n_values FROM prefixed WHERE kind IS NULL GROUP BY prefix, pos, ext
),
classified AS (
  SELECT p.path, p.pos, p.nseg, p.seg, p.ext,
    COALESCE(p.kind, CASE WHEN c.n_values > ${o.maxLiteralValues} THEN 'slug' END) AS kind
  FROM prefixed p LEFT JOIN cardinality c ON c.prefix = p.prefix AND c.pos = p.pos AND c.ext = p.ext
),
numbered AS (
  SELECT *, row_number() OVER (PARTITION BY path, kind ORDER BY pos) AS nth FROM classified
)
SELECT path,
  ${d.orderedJoin(`CASE WHEN kind IS NULL THEN seg ELSE '{' || kind || CASE WHEN nth > 1 THEN CAST(nth AS VARCHAR) ELSE '' END || '}' || ext END`, '/', 'pos')} AS template,
  ${d.regexpLike('lower(path)', assetPattern(o.assetExtensions))} AS is_asset
FROM numbered GROUP BY path`;
}

/**
 * `path, param, value` from a materialised `pathTemplatesSql` table: the value each parameter took in
 * each distinct path (the raw material of parameter pools; redaction happens when pools are built).
 * A parameter with an extension (`{slug}.jpg`) keeps the extension in its value.
 */
export function pathParamsSql(d: Dialect, templates: string): string {
  // Templates already name every parameter: align the template's segments with the path's.
  return `
SELECT path, param, substr(seg, 1, length(seg) - (length(tseg) - length(param))) AS value
FROM (
  SELECT t.path, ts.tseg, ps.seg, regexp_extract(ts.tseg, '^(\\{[A-Za-z0-9_]+\\})', 1) AS param
  FROM ${templates} t
  CROSS JOIN UNNEST(${d.split('t.template', '/')}) WITH ORDINALITY AS ts(tseg, pos)
  CROSS JOIN UNNEST(${d.split('t.path', '/')}) WITH ORDINALITY AS ps(seg, ppos)
  WHERE ts.pos = ps.ppos AND strpos(ts.tseg, '{') = 1
) x`;
}

/** Query keys allowed into templates; anything else (log content) is dropped. */
const SAFE_QUERY_KEY = '^[A-Za-z0-9_.\\[\\]-]{1,40}$';

/** `query, suffix` for every distinct raw query string: `?k1={k1}&k2={k2}` (keys sorted) or ''. */
export function queryTemplatesSql(d: Dialect, requests: string): string {
  return `
WITH queries AS (SELECT DISTINCT query FROM ${requests} WHERE query <> ''),
keys AS (
  SELECT DISTINCT query, split_part(kv, '=', 1) AS k
  FROM queries CROSS JOIN UNNEST(${d.split('query', '&')}) AS u(kv)
  WHERE ${d.regexpLike(`split_part(kv, '=', 1)`, SAFE_QUERY_KEY)}
)
SELECT query, '?' || ${d.orderedJoin(`k || '={' || k || '}'`, '&', 'k')} AS suffix FROM keys GROUP BY query`;
}

/** `query, key, value` for query parameters (values still raw; redacted when pools are built). */
export function queryParamsSql(d: Dialect, requests: string): string {
  return `
SELECT query, '{' || split_part(kv, '=', 1) || '}' AS param, ${d.urlDecode(`substr(kv, strpos(kv, '=') + 1)`)} AS value
FROM (SELECT DISTINCT query FROM ${requests} WHERE query <> '') q
CROSS JOIN UNNEST(${d.split('query', '&')}) AS u(kv)
WHERE strpos(kv, '=') > 0 AND ${d.regexpLike(`split_part(kv, '=', 1)`, SAFE_QUERY_KEY)}`;
}
