/**
 * Glue table definitions for the log formats Athena reads in place: ALB access logs and CloudFront
 * standard logs, as AWS documents their fields, each with date partition projection so Athena finds
 * a window's files from the table properties alone (no crawler, no `MSCK REPAIR`, no Glue partitions).
 *
 * - ALB: `<prefix>AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/MM/dd/`, one partition per
 *   day (`day`, e.g. `2026/11/28`), parsed by RegexSerDe.
 * - CloudFront: standard logging (v2) to S3 with the partitioning suffix `{yyyy}/{MM}/{dd}/{HH}`,
 *   one partition per hour (`dt`, e.g. `2026/11/28/09`), tab-separated with two header lines.
 *   Legacy CloudFront logs (all files in one folder) cannot be projected by date.
 */
import type * as glue from 'aws-cdk-lib/aws-glue';
import type { PartitionFormat } from './core/cost/partitions';

export type AwsLogFormat = 'alb' | 'cloudfront';

export interface LogTableLayout {
  readonly format: AwsLogFormat;
  readonly tableName: string;
  /** Partition column the queries must filter on, and its value format (Java date pattern). */
  readonly partitionColumn: string;
  readonly partitionFormat: PartitionFormat;
  /** Length of one partition, seconds (the cost planner drops whole partitions). */
  readonly partitionSeconds: number;
}

export const LOG_TABLES: Readonly<Record<AwsLogFormat, LogTableLayout>> = {
  alb: { format: 'alb', tableName: 'alb_access_logs', partitionColumn: 'day', partitionFormat: 'yyyy/MM/dd', partitionSeconds: 86_400 },
  cloudfront: { format: 'cloudfront', tableName: 'cloudfront_logs', partitionColumn: 'dt', partitionFormat: 'yyyy/MM/dd/HH', partitionSeconds: 3_600 },
};

type Column = glue.CfnTable.ColumnProperty & { name: string; type: string };

/** ALB access log entry fields, in file order (elasticloadbalancing "Access log entries"). */
export const ALB_COLUMNS: readonly Column[] = [
  { name: 'type', type: 'string' },
  { name: 'time', type: 'string' },
  { name: 'elb', type: 'string' },
  { name: 'client_ip', type: 'string' },
  { name: 'client_port', type: 'int' },
  { name: 'target_ip', type: 'string' },
  { name: 'target_port', type: 'int' },
  { name: 'request_processing_time', type: 'double' },
  { name: 'target_processing_time', type: 'double' },
  { name: 'response_processing_time', type: 'double' },
  { name: 'elb_status_code', type: 'int' },
  { name: 'target_status_code', type: 'string' },
  { name: 'received_bytes', type: 'bigint' },
  { name: 'sent_bytes', type: 'bigint' },
  { name: 'request_verb', type: 'string' },
  { name: 'request_url', type: 'string' },
  { name: 'request_proto', type: 'string' },
  { name: 'user_agent', type: 'string' },
  { name: 'ssl_cipher', type: 'string' },
  { name: 'ssl_protocol', type: 'string' },
  { name: 'target_group_arn', type: 'string' },
  { name: 'trace_id', type: 'string' },
  { name: 'domain_name', type: 'string' },
  { name: 'chosen_cert_arn', type: 'string' },
  { name: 'matched_rule_priority', type: 'string' },
  { name: 'request_creation_time', type: 'string' },
  { name: 'actions_executed', type: 'string' },
  { name: 'redirect_url', type: 'string' },
  { name: 'lambda_error_reason', type: 'string' },
  { name: 'target_port_list', type: 'string' },
  { name: 'target_status_code_list', type: 'string' },
  { name: 'classification', type: 'string' },
  { name: 'classification_reason', type: 'string' },
  { name: 'conn_trace_id', type: 'string' },
  // Fields AWS appends in future releases land here instead of breaking the regex.
  { name: 'new_fields', type: 'string' },
];

const Q = '"([^"]*)"'; // a quoted field
/**
 * One capture group per ALB column. Target `ip:port` is `-` when no target answered (460, 503, ...),
 * and the request's URL may contain spaces only inside the quoted request line. Java regex (RegexSerDe).
 */
export const ALB_INPUT_REGEX = [
  '([^ ]*)', // type
  '([^ ]*)', // time
  '([^ ]*)', // elb
  '([^ ]*):([0-9]*)', // client ip:port
  '([^ ]*)[:-]([0-9]*)', // target ip:port, or -
  '([-.0-9]*)', '([-.0-9]*)', '([-.0-9]*)', // processing times (-1 when unknown)
  '(|[-0-9]*)', // elb_status_code
  '(-|[-0-9]*)', // target_status_code
  '([-0-9]*)', '([-0-9]*)', // received, sent bytes
  '"([^ ]*) (.*) (- |[^ ]*)"', // "VERB URL PROTO"
  Q, // user agent
  '([A-Z0-9-_]+)', // ssl_cipher
  '([A-Za-z0-9.-]*)', // ssl_protocol
  '([^ ]*)', // target_group_arn
  Q, Q, Q, // trace_id, domain_name, chosen_cert_arn
  '([-.0-9]*)', // matched_rule_priority
  '([^ ]*)', // request_creation_time
  Q, Q, Q, // actions_executed, redirect_url, error_reason
  '"([^ ]*)"', // target:port list
  '"([^\\s]+?)"', // target status code list
  '"([^\\s]+)"', // classification
  '"([^ ]*)"', // classification_reason
].join(' ') + ' ?([^ ]*)?( .*)?'; // conn_trace_id, then anything newer

/** CloudFront standard log fields, in file order (CloudFront "Standard log file fields"). */
export const CLOUDFRONT_COLUMNS: readonly Column[] = [
  { name: 'date', type: 'date' },
  { name: 'time', type: 'string' },
  { name: 'x_edge_location', type: 'string' },
  { name: 'sc_bytes', type: 'bigint' },
  { name: 'c_ip', type: 'string' },
  { name: 'cs_method', type: 'string' },
  { name: 'cs_host', type: 'string' },
  { name: 'cs_uri_stem', type: 'string' },
  { name: 'sc_status', type: 'int' },
  { name: 'cs_referrer', type: 'string' },
  { name: 'cs_user_agent', type: 'string' },
  { name: 'cs_uri_query', type: 'string' },
  { name: 'cs_cookie', type: 'string' },
  { name: 'x_edge_result_type', type: 'string' },
  { name: 'x_edge_request_id', type: 'string' },
  { name: 'x_host_header', type: 'string' },
  { name: 'cs_protocol', type: 'string' },
  { name: 'cs_bytes', type: 'bigint' },
  { name: 'time_taken', type: 'float' },
  { name: 'x_forwarded_for', type: 'string' },
  { name: 'ssl_protocol', type: 'string' },
  { name: 'ssl_cipher', type: 'string' },
  { name: 'x_edge_response_result_type', type: 'string' },
  { name: 'cs_protocol_version', type: 'string' },
  { name: 'fle_status', type: 'string' },
  { name: 'fle_encrypted_fields', type: 'int' },
  { name: 'c_port', type: 'int' },
  { name: 'time_to_first_byte', type: 'float' },
  { name: 'x_edge_detailed_result_type', type: 'string' },
  { name: 'sc_content_type', type: 'string' },
  { name: 'sc_content_len', type: 'bigint' },
  { name: 'sc_range_start', type: 'bigint' },
  { name: 'sc_range_end', type: 'bigint' },
];

export interface TableLocation {
  /** `s3://bucket/prefix/...` up to (not including) the partition folders, ending in `/`. */
  readonly root: string;
  /** First partition projected, in the partition format (e.g. `2024/01/01`). */
  readonly projectionStart: string;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** The Glue TableInput for a log format at a location. */
export function logTableInput(format: AwsLogFormat, location: TableLocation): glue.CfnTable.TableInputProperty {
  const layout = LOG_TABLES[format];
  const col = layout.partitionColumn;
  const projection = {
    'projection.enabled': 'true',
    [`projection.${col}.type`]: 'date',
    [`projection.${col}.format`]: layout.partitionFormat,
    [`projection.${col}.range`]: `${location.projectionStart},NOW`,
    [`projection.${col}.interval`]: '1',
    [`projection.${col}.interval.unit`]: format === 'alb' ? 'DAYS' : 'HOURS',
    'storage.location.template': `${location.root}\${${col}}/`,
  };
  const common = {
    name: layout.tableName,
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: [{ name: col, type: 'string' }],
  };
  if (format === 'alb') {
    return {
      ...common,
      description: 'ALB access logs, read in place (partition projection by day)',
      parameters: { EXTERNAL: 'TRUE', classification: 'alb_logs', ...projection },
      storageDescriptor: {
        columns: [...ALB_COLUMNS],
        location: location.root,
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serdeInfo: {
          serializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe',
          parameters: { 'serialization.format': '1', 'input.regex': ALB_INPUT_REGEX },
        },
      },
    };
  }
  return {
    ...common,
    description: 'CloudFront standard logs, read in place (partition projection by hour)',
    parameters: { EXTERNAL: 'TRUE', classification: 'cloudfront_logs', 'skip.header.line.count': '2', ...projection },
    storageDescriptor: {
      columns: [...CLOUDFRONT_COLUMNS],
      location: location.root,
      inputFormat: TEXT_INPUT,
      outputFormat: TEXT_OUTPUT,
      serdeInfo: {
        serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
        parameters: { 'field.delim': '\t', 'serialization.format': '\t' },
      },
    },
  };
}
