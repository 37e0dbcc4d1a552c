/**
 * CSV with a header row and the columns Loadprint's JSON/CSV reader expects (`session_id`,
 * `timestamp` = request start as ISO-8601, `path`, `method`, `status`, `response_time_ms`,
 * `user_agent`, `client_ip`), RFC 4180 quoting (user agents hold commas), ordered by timestamp.
 */
import { DEFAULTS } from '../config';
import type { SimSession } from './simulate';
import { isoMillis } from './timefmt';
import type { FormatSpec, LogLine } from './write-logs';
import { csvField } from './write-logs';

export const CSV_COLUMNS = ['session_id', 'timestamp', 'path', 'method', 'status', 'response_time_ms', 'user_agent', 'client_ip'] as const;

export interface CsvOptions {
  /** @default false */
  gzip?: boolean;
  /** @default 'requests.csv' (+ '.gz') */
  fileName?: string;
}

export function csvFormat(opts: CsvOptions = {}): FormatSpec {
  const gzip = opts.gzip ?? false;
  return {
    format: 'csv',
    windowSeconds: DEFAULTS.simulate.albFileSeconds,
    singleFile: (opts.fileName ?? 'requests.csv') + (gzip ? '.gz' : ''),
    jitterSeconds: 0,
    gzip,
    header: () => `${CSV_COLUMNS.join(',')}\n`,
    render(session: SimSession): { shard: string; lines: LogLine[] } {
      const ua = csvField(session.userAgent);
      const lines = session.requests.map((r) => ({
        t: r.tStart,
        text: `${session.id},${isoMillis(r.tStart)},${csvField(r.path)},${r.method},${r.status},${r.responseMs},${ua},${session.clientIp}`,
      }));
      return { shard: '', lines };
    },
    malformed(i: number): string {
      // Wrong column counts only: an unbalanced quote would swallow the lines after it.
      return i % 2 === 0 ? `malformed line ${i} not csv` : `broken-${i},2026-11-02T10:00:00.000Z,/x`;
    },
  };
}
