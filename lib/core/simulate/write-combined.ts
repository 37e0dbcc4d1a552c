/**
 * nginx/Apache "combined" access logs, optionally with nginx's `$request_time` (seconds, millisecond
 * resolution) as a trailing field, in one file ordered as nginx writes it: by completion time.
 * `[$time_local]` is the response end in whole seconds (+0000), so a request's start is
 * `time_local - request_time`.
 */
import { DEFAULTS } from '../config';
import type { SimSession } from './simulate';
import { clfTime } from './timefmt';
import type { FormatSpec, LogLine } from './write-logs';

export interface CombinedOptions {
  /** Append `$request_time` after the user agent. @default true */
  requestTime?: boolean;
  /** @default false */
  gzip?: boolean;
  /** @default 'access.log' (+ '.gz') */
  fileName?: string;
}

export function combinedFormat(opts: CombinedOptions = {}): FormatSpec {
  const withTime = opts.requestTime ?? true;
  const gzip = opts.gzip ?? false;
  return {
    format: 'combined',
    windowSeconds: DEFAULTS.simulate.albFileSeconds,
    singleFile: (opts.fileName ?? 'access.log') + (gzip ? '.gz' : ''),
    jitterSeconds: 0,
    gzip,
    render(session: SimSession): { shard: string; lines: LogLine[] } {
      let page = '-';
      const lines = session.requests.map((r) => {
        const rt = withTime ? ` ${(r.responseMs / 1000).toFixed(3)}` : '';
        const text = `${session.clientIp} - - [${clfTime(r.tEnd)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.bytes} "${page}" "${session.userAgent}"${rt}`;
        if (!r.isAsset) page = `https://${r.host}${r.path}`;
        return { t: r.tEnd, text };
      });
      return { shard: '', lines };
    },
    malformed(i: number): string {
      switch (i % 3) {
        case 0:
          return `malformed line ${i}: not an access log entry`;
        case 1:
          return `198.51.100.${i % 250} - - [02/Nov/2026:10:00:0${i % 10} +0000] "GET /trunc`;
        default:
          return `198.51.100.${i % 250} - - [not a date] GET / 200 12`;
      }
    },
  };
}
