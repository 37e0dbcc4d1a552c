/**
 * CloudFront standard (legacy) access logs: `#Version` and `#Fields` headers, 33 tab-separated fields,
 * URL-encoded user agent, the session cookie in `cs(Cookie)`, one file per distribution per hour named
 * `<distribution>.<yyyy-mm-dd-hh>.<id>[.gz]`. CloudFront logs whole seconds (`date`, `time` = when the
 * response was served) plus `time-taken`, so a request's start is `time - time-taken`.
 */
import { CLOUDFRONT_DEFAULT_FIELDS } from '../ingest/detect-format';
import { DEFAULTS } from '../config';
import { Rng } from './rng';
import type { SimRequest, SimSession } from './simulate';
import { isAssetPath } from './simulate';
import { cloudfrontDateTime } from './timefmt';
import type { FormatSpec, LogLine } from './write-logs';

export interface CloudFrontOptions {
  seed: number;
  /** Gzip the hourly files (CloudFront does; readers must take both). @default true */
  gzip?: boolean;
  /** @default 'E2QWRUHEXAMPLE' */
  distributionId?: string;
  /** @default 'd111111abcdef8.cloudfront.net' */
  distributionDomain?: string;
  /** Name of the cookie carrying the session id. @default 'session_id' */
  cookieName?: string;
}

/** The documented standard-log fields, shared with the parser so writer and reader cannot disagree. */
export const CLOUDFRONT_FIELDS = CLOUDFRONT_DEFAULT_FIELDS;

const EDGES = ['IAD89-C1', 'IAD12-P2', 'FRA56-P5', 'LHR61-C2', 'CDG50-P1', 'NRT57-C3', 'SFO53-P4', 'GRU3-C1'];

/** CloudFront's log encoding: spaces and unsafe characters percent-encoded, `/;(),:` kept readable. */
export function cloudfrontEncode(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~/;(),:+=*!'@&?]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function contentType(path: string, isAsset: boolean): string {
  const bare = path.split('?')[0] ?? path;
  if (isAsset || isAssetPath(bare)) {
    if (bare.endsWith('.js')) return 'application/javascript';
    if (bare.endsWith('.css')) return 'text/css';
    if (/\.(jpe?g)$/.test(bare)) return 'image/jpeg';
    if (bare.endsWith('.png')) return 'image/png';
    return 'application/octet-stream';
  }
  if (bare.endsWith('.txt')) return 'text/plain';
  if (bare.endsWith('.xml')) return 'application/xml';
  return DEFAULTS.ingest.apiPrefixes.some((p) => bare.startsWith(p)) ? 'application/json' : 'text/html';
}

export function cloudfrontFormat(opts: CloudFrontOptions): FormatSpec {
  const rng = Rng.derive(opts.seed, 31);
  const dist = opts.distributionId ?? 'E2QWRUHEXAMPLE';
  const domain = opts.distributionDomain ?? 'd111111abcdef8.cloudfront.net';
  const cookieName = opts.cookieName ?? 'session_id';
  const gzip = opts.gzip ?? true;
  const used = new Set<string>();
  const idChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  const requestId = (): string => {
    let s = '';
    for (let i = 0; i < 56; i++) s += idChars[rng.int(0, idChars.length - 1)];
    return s;
  };

  const line = (session: SimSession, r: SimRequest, edge: string, port: number, cookie: string, referer: string): string => {
    const [date, time] = cloudfrontDateTime(r.tEnd);
    const q = r.path.indexOf('?');
    const stem = q >= 0 ? r.path.slice(0, q) : r.path;
    const query = q >= 0 ? r.path.slice(q + 1) : '-';
    const result = r.status >= 400 ? 'Error' : r.isAsset && rng.chance(0.9) ? 'Hit' : 'Miss';
    const taken = Math.max(0.001, r.responseMs / 1000);
    const h2 = session.sessionCookie !== undefined;
    return [
      date,
      time,
      edge,
      String(r.bytes + 350),
      session.clientIp,
      r.method,
      domain,
      stem,
      String(r.status),
      referer,
      session.userAgent === '-' ? '-' : cloudfrontEncode(session.userAgent),
      query,
      cookie,
      result,
      requestId(),
      r.host,
      'https',
      String(r.path.length + 200 + (r.method === 'GET' ? 0 : rng.int(120, 1400))),
      taken.toFixed(3),
      '-',
      'TLSv1.3',
      'TLS_AES_128_GCM_SHA256',
      result,
      h2 ? 'HTTP/2.0' : 'HTTP/1.1',
      '-',
      '-',
      String(port),
      (taken * 0.85).toFixed(3),
      result,
      contentType(r.path, r.isAsset),
      String(r.bytes),
      '-',
      '-',
    ].join('\t');
  };

  return {
    format: 'cloudfront',
    windowSeconds: DEFAULTS.simulate.cloudfrontFileSeconds,
    jitterSeconds: DEFAULTS.simulate.lineOrderJitterSeconds,
    gzip,
    filePath(windowStart: number): string {
      const stamp = new Date(windowStart * 1000).toISOString().slice(0, 13).replace('T', '-');
      let path = '';
      do {
        path = `${dist}.${stamp}.${rng.uint32().toString(16).padStart(8, '0')}${gzip ? '.gz' : ''}`;
      } while (used.has(path));
      used.add(path);
      return path;
    },
    header(): string {
      return `#Version: 1.0\n#Fields: ${CLOUDFRONT_FIELDS.join(' ')}\n`;
    },
    render(session: SimSession): { shard: string; lines: LogLine[] } {
      const edge = rng.pick(EDGES);
      const port = rng.int(1024, 65535);
      const cookie = session.sessionCookie
        ? cloudfrontEncode(`${cookieName}=${session.sessionCookie}; _ga=GA1.2.${rng.int(100_000_000, 999_999_999)}.${rng.int(1_600_000_000, 1_790_000_000)}`)
        : '-';
      let page = '-';
      const lines = session.requests.map((r) => {
        const text = line(session, r, edge, port, cookie, page);
        if (!r.isAsset) page = cloudfrontEncode(`https://${r.host}${r.path}`);
        return { t: r.tEnd, text };
      });
      return { shard: '', lines };
    },
    malformed(i: number): string {
      return i % 2 === 0 ? `malformed line ${i}: not a cloudfront record` : `2026-11-02\t10:00:0${i % 10}\tIAD89-C1\t123`;
    },
  };
}
