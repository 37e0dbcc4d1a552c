/**
 * The AWS log tables (lib/log-tables.ts: ALB and CloudFront as Glue tables) mapped to the parse
 * layer's columns before normalisation (url, not path and query; no local-only `raw`/`raw_file`), so everything
 * after this SELECT is the shared session SQL. One small SELECT per format; the WHERE clause keeps
 * the Glue partitions the cost plan chose and the run's log-time window.
 *
 * Lines RegexSerDe cannot read arrive as rows of NULLs: they get a `reason` here, as the local parse
 * layer gives its rejected lines, and the shared SQL drops them.
 */
import { sentNoRequestSql } from '../ingest/parse-sql';
import type { Dialect } from '../sql/dialect';

export type AwsLogFormat = 'alb' | 'cloudfront';

/** ALB writes `2026-11-28T09:15:02.123456Z`; the local parse layer reads the same layout. */
const ALB_TIME = '%Y-%m-%dT%H:%M:%S.%fZ';

/** Epoch seconds of an ISO-8601 UTC text column; NULL when it is not one. */
export function isoEpochSql(d: Dialect, x: string): string {
  return d.name === 'athena'
    ? `to_unixtime(try(from_iso8601_timestamp(${x})))`
    : `epoch(COALESCE(try_strptime(${x}, '${ALB_TIME}'), TRY_CAST(${x} AS TIMESTAMPTZ)))`;
}

export interface SourceFilter {
  /** Partition predicate from lib/core/cost (`day IN ('2026/11/28', ...)`). */
  readonly partitions: string;
  /** Log-time window, epoch seconds, end exclusive. */
  readonly window: { readonly start: number; readonly end: number };
  /** Extra predicate on the object path (`"$path" LIKE ...`), for runs over explicit S3 prefixes. */
  readonly paths?: string;
}

function where(f: SourceFilter, time: string): string {
  return [f.partitions, f.paths, `${time} >= ${f.window.start}`, `${time} < ${f.window.end}`].filter(Boolean).join(' AND ');
}

function albSourceSql(d: Dialect, table: string, f: SourceFilter): string {
  const processing = '(greatest(COALESCE(request_processing_time, 0), 0) + greatest(COALESCE(target_processing_time, 0), 0) + greatest(COALESCE(response_processing_time, 0), 0))';
  return `
SELECT t_start, t_end, client_ip, user_agent, CAST(NULL AS VARCHAR) AS session_key, host, method, url, status,
  CASE WHEN created IS NOT NULL THEN (t_end - t_start) * 1000 ELSE ${processing} * 1000 END AS response_ms,
  CASE WHEN t_end IS NULL THEN 'bad_timestamp'
       WHEN ${sentNoRequestSql('method')} THEN 'no_request'
       WHEN url IS NULL OR url = '-' THEN 'bad_request'
       WHEN status IS NULL THEN 'bad_status' END AS reason
FROM (
  SELECT t_end, created, COALESCE(created, t_end - ${processing}) AS t_start, client_ip, user_agent, host, method, url, status,
    request_processing_time, target_processing_time, response_processing_time
  FROM (
    SELECT ${isoEpochSql(d, 'time')} AS t_end, ${isoEpochSql(d, 'request_creation_time')} AS created,
      client_ip, user_agent, NULLIF(NULLIF(domain_name, '-'), '') AS host, request_verb AS method, request_url AS url,
      elb_status_code AS status, request_processing_time, target_processing_time, response_processing_time
    FROM ${table}
    WHERE ${f.partitions}${f.paths ? ` AND ${f.paths}` : ''}
  ) a
) b
WHERE ${where({ ...f, partitions: 'TRUE', paths: '' }, 't_end')}`;
}

function cloudfrontSourceSql(d: Dialect, table: string, f: SourceFilter): string {
  const stamp = `CAST("date" AS VARCHAR) || 'T' || "time" || 'Z'`;
  return `
SELECT t_end - COALESCE(taken, 0) AS t_start, t_end, client_ip, user_agent, CAST(NULL AS VARCHAR) AS session_key, host,
  method, url, status, taken * 1000 AS response_ms,
  CASE WHEN t_end IS NULL THEN 'bad_timestamp'
       WHEN method IS NULL OR url IS NULL THEN 'bad_request'
       WHEN status IS NULL THEN 'bad_status' END AS reason
FROM (
  SELECT ${isoEpochSql(d, stamp)} AS t_end, CAST(time_taken AS DOUBLE) AS taken, NULLIF(c_ip, '-') AS client_ip,
    ${d.urlDecode(d.urlDecode(`COALESCE(NULLIF(cs_user_agent, '-'), '-')`))} AS user_agent,
    COALESCE(NULLIF(x_host_header, '-'), NULLIF(cs_host, '-')) AS host, NULLIF(cs_method, '-') AS method,
    NULLIF(cs_uri_stem, '-') || CASE WHEN cs_uri_query IS NULL OR cs_uri_query = '-' THEN '' ELSE '?' || cs_uri_query END AS url,
    sc_status AS status
  FROM ${table}
  WHERE ${f.partitions}${f.paths ? ` AND ${f.paths}` : ''}
) a
WHERE ${where({ ...f, partitions: 'TRUE', paths: '' }, 't_end')}`;
}

/** The request-columns SELECT over an AWS log table. `table` is SQL the caller controls (a qualified name). */
export function logSourceSql(d: Dialect, format: AwsLogFormat, table: string, filter: SourceFilter): string {
  return format === 'alb' ? albSourceSql(d, table, filter) : cloudfrontSourceSql(d, table, filter);
}
