/**
 * How log pipelines carry an access log's lines, so that sniffing and the parse read the lines
 * themselves: behind a header each pipeline puts before every line, or inside Docker's json-file
 * records. Pure: the JavaScript for sniffing, the SQL for the parse.
 */
import { sqlString } from '../sql/dialect';

/** `line-header`: behind LINE_HEADER; `docker-json`: the `log` of each Docker json-file record. */
export type Carrier = 'line-header' | 'docker-json';

/** An RFC 3339 stamp, as log pipelines write them (to the nanosecond in Kubernetes'). */
const STAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)';

/**
 * A header a log pipeline puts before each line of an access log it carries:
 * - syslog's (nginx's `access_log syslog:...`, Apache piped to logger, HAProxy; rsyslog's and journald's
 *   files): BSD's `Nov 28 09:15:02 web-1 nginx[811]: ` or rsyslog's ISO stamp, with an optional `<PRI>`;
 * - a container runtime's (the node's /var/log/containers files): `<stamp> stdout F `;
 * - a bare stamp: `kubectl logs --timestamps`, `docker logs -t`, a CloudWatch Logs export to S3.
 * The access log line follows it.
 */
export const LINE_HEADER = new RegExp(
  `^(?:(?:<\\d{1,3}>)?(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|${STAMP}) \\S+ [^\\s:[\\]]+(?:\\[\\d+\\])?: |${STAMP} (?:(?:stdout|stderr) [FP] )?)`,
);

/** Docker's json-file driver (/var/lib/docker/containers/<id>/<id>-json.log) writes `log` first. */
const DOCKER_RECORD_START = '{"log":';

/** The `log` of a Docker json-file record, without its newline; undefined for any other line. */
function dockerLog(line: string): string | undefined {
  if (!line.startsWith(DOCKER_RECORD_START)) return undefined;
  try {
    const record = JSON.parse(line) as { log?: unknown; stream?: unknown };
    return typeof record.log === 'string' && typeof record.stream === 'string' ? record.log.replace(/\r?\n$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** The carrier most of `lines` share, if any. */
export function carrierOf(lines: readonly string[]): Carrier | undefined {
  const most = (test: (line: string) => boolean) => lines.length > 0 && lines.filter(test).length >= Math.ceil(lines.length / 2);
  if (most((l) => dockerLog(l) !== undefined)) return 'docker-json';
  if (most((l) => LINE_HEADER.test(l))) return 'line-header';
  return undefined;
}

/** The line `carrier` carries in `line` (the line itself when it is not carried so). */
export function carriedLine(line: string, carrier: Carrier | undefined): string {
  if (carrier === 'line-header') return line.replace(LINE_HEADER, '');
  if (carrier === 'docker-json') return dockerLog(line) ?? line;
  return line;
}

/**
 * SQL of the line `carrier` carries in the column `line`. A line not carried so stays as it is, to be
 * rejected by the parse and counted, never dropped.
 */
export function carriedLineSql(carrier: Carrier, line: string): string {
  if (carrier === 'line-header') return `regexp_replace(${line}, ${sqlString(LINE_HEADER.source)}, '')`;
  const log = `json_extract_string(${line}, '$.log')`;
  return `CASE WHEN starts_with(${line}, '${DOCKER_RECORD_START}') AND json_valid(${line}) AND ${log} IS NOT NULL THEN rtrim(${log}, chr(13) || chr(10)) ELSE ${line} END`;
}
