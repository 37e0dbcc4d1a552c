/**
 * JSON lines: one object per request with the columns Loadprint's JSON/CSV reader expects
 * (`session_id`, `timestamp` = request start as ISO-8601, `path` with its query string, `method`,
 * `status`, `response_time_ms`, `user_agent`, `client_ip`), in one file ordered by timestamp.
 */
import { DEFAULTS } from '../config';
import type { SimSession } from './simulate';
import { isoMillis } from './timefmt';
import type { FormatSpec, LogLine } from './write-logs';

export interface JsonlOptions {
  /** @default false */
  gzip?: boolean;
  /** @default 'requests.jsonl' (+ '.gz') */
  fileName?: string;
}

export function jsonlFormat(opts: JsonlOptions = {}): FormatSpec {
  const gzip = opts.gzip ?? false;
  return {
    format: 'jsonl',
    windowSeconds: DEFAULTS.simulate.albFileSeconds,
    singleFile: (opts.fileName ?? 'requests.jsonl') + (gzip ? '.gz' : ''),
    jitterSeconds: 0,
    gzip,
    render(session: SimSession): { shard: string; lines: LogLine[] } {
      const lines = session.requests.map((r) => ({
        t: r.tStart,
        text: JSON.stringify({
          session_id: session.id,
          timestamp: isoMillis(r.tStart),
          path: r.path,
          method: r.method,
          status: r.status,
          response_time_ms: r.responseMs,
          user_agent: session.userAgent,
          client_ip: session.clientIp,
        }),
      }));
      return { shard: '', lines };
    },
    malformed(i: number): string {
      return i % 2 === 0 ? `malformed line ${i}: not json` : `{"session_id": "broken-${i}", "timestamp": `;
    },
  };
}
