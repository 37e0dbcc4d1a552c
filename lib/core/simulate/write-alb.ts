/**
 * AWS Application Load Balancer access logs, every field of the current format (33 space-separated
 * fields, quoted where ALB quotes them, through conn_trace_id and the request-transform fields), in
 * the layout ALB delivers to S3: one gzip file per load-balancer node per 5 minutes under
 * `AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/`, named with the interval's end time.
 *
 * `time` is when the response ended and `request_creation_time` when the request arrived, so the
 * pipeline's think time (next request_creation_time minus previous time) is the simulator's.
 */
import { DEFAULTS } from '../config';
import { Rng } from './rng';
import type { SimRequest, SimSession } from './simulate';
import { compactMinute, datePath, isoMicros, isoMillisAsMicros } from './timefmt';
import type { FormatSpec, LogLine } from './write-logs';

export interface AlbOptions {
  seed: number;
  /** @default '123456789012' */
  account?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** Load balancer name and resource id (`app/<name>/<id>`). @default 'shop-prod' / '50dc6c495c0c9188' */
  name?: string;
  id?: string;
  /** IP addresses of the load balancer's nodes (one file per node per interval). */
  nodes?: readonly string[];
}

/** The fields of one ALB access-log entry, in order (the names of AWS's documentation). */
export const ALB_FIELDS = [
  'type', 'time', 'elb', 'client:port', 'target:port', 'request_processing_time', 'target_processing_time',
  'response_processing_time', 'elb_status_code', 'target_status_code', 'received_bytes', 'sent_bytes', 'request',
  'user_agent', 'ssl_cipher', 'ssl_protocol', 'target_group_arn', 'trace_id', 'domain_name', 'chosen_cert_arn',
  'matched_rule_priority', 'request_creation_time', 'actions_executed', 'redirect_url', 'error_reason',
  'target:port_list', 'target_status_code_list', 'classification', 'classification_reason', 'conn_trace_id',
  'transformed_host', 'transformed_uri', 'request_transform_status',
] as const;

/**
 * Parses one ALB line into its fields, following the regular expression AWS documents for Athena
 * (extended with conn_trace_id and the transform fields). Returns undefined when the line does not match.
 */
export const ALB_LINE_REGEX =
  /^([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) (- |[^ ]*)" "([^"]*)" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^ ]*)" "([^\s]+?)" "([^\s]+)" "([^ ]*)" "([^ ]*)" ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)"$/;

const ELB_TARGETS = ['10.0.1.17:8080', '10.0.1.42:8080', '10.0.2.23:8080', '10.0.2.58:8080'];

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `chars` random lowercase hex digits (an even count), a byte-pair table per draw: hot per line. */
function hex(rng: Rng, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i += 8) {
    const x = rng.uint32();
    s += (HEX_BYTE[x >>> 24] ?? '00') + (HEX_BYTE[(x >>> 16) & 255] ?? '00') + (HEX_BYTE[(x >>> 8) & 255] ?? '00') + (HEX_BYTE[x & 255] ?? '00');
  }
  return s.length === chars ? s : s.slice(0, chars);
}

function randomSuffix(rng: Rng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 8; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

function isBrowser(session: SimSession): boolean {
  return session.sessionCookie !== undefined;
}

/** Size of the request as received: request line, headers, body. */
function receivedBytes(rng: Rng, r: SimRequest, session: SimSession, h2: boolean): number {
  const headers = h2 ? 40 + rng.int(0, 60) : 180 + session.userAgent.length + rng.int(0, 200);
  const body = r.method === 'GET' || r.method === 'HEAD' ? 0 : rng.int(120, 1400);
  return r.path.length + headers + body + (isBrowser(session) ? 90 : 0);
}

export function albFormat(opts: AlbOptions): FormatSpec {
  const rng = Rng.derive(opts.seed, 21);
  const account = opts.account ?? '123456789012';
  const region = opts.region ?? 'us-east-1';
  const name = opts.name ?? 'shop-prod';
  const id = opts.id ?? '50dc6c495c0c9188';
  const nodes = opts.nodes ?? ['52.44.18.201', '3.214.97.36'];
  const elb = `app/${name}/${id}`;
  const targetGroup = `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/shop-web/73e2d6bc24d8a067`;
  const cert = `arn:aws:acm:${region}:${account}:certificate/6f0b2c1e-9a4d-4c8e-b7a2-5d3e1f9c0a11`;
  const apiPrefixes = DEFAULTS.ingest.apiPrefixes;
  const files = new Set<string>();

  const line = (session: SimSession, r: SimRequest, port: number, target: string, conn: string): string => {
    const h2 = isBrowser(session);
    const lb = r.lbGenerated === true;
    const total = r.responseMs / 1000;
    const reqProc = total > 0.002 && rng.chance(0.3) ? 0.001 : 0;
    const times = lb ? '-1 -1 -1' : `${reqProc.toFixed(3)} ${Math.max(0, total - reqProc).toFixed(3)} 0.000`;
    const status = String(r.status);
    const api = apiPrefixes.some((p) => r.path.startsWith(p));
    return [
      h2 ? 'h2' : 'https',
      isoMicros(r.tEnd),
      elb,
      `${session.clientIp}:${port}`,
      lb ? '-' : target,
      times,
      status,
      lb ? '-' : status,
      String(receivedBytes(rng, r, session, h2)),
      String(r.bytes + (h2 ? 120 : 260)),
      `"${r.method} https://${r.host}:443${r.path} ${h2 ? 'HTTP/2.0' : 'HTTP/1.1'}"`,
      `"${session.userAgent}"`,
      h2 ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256',
      h2 ? 'TLSv1.3' : 'TLSv1.2',
      targetGroup,
      `"Root=1-${Math.floor(r.tStart).toString(16).padStart(8, '0')}-${hex(rng, 24)}"`,
      `"${r.host}"`,
      `"${cert}"`,
      api ? '10' : '0',
      isoMillisAsMicros(r.tStart),
      '"forward"',
      '"-"',
      '"-"',
      lb ? '"-"' : `"${target}"`,
      lb ? '"-"' : `"${status}"`,
      '"-"',
      '"-"',
      conn,
      '"-"',
      '"-"',
      '"-"',
    ].join(' ');
  };

  return {
    format: 'alb',
    windowSeconds: DEFAULTS.simulate.albFileSeconds,
    jitterSeconds: DEFAULTS.simulate.lineOrderJitterSeconds,
    gzip: true,
    filePath(windowStart: number, shard: string): string {
      const node = nodes[Number(shard)] ?? nodes[0] ?? '52.44.18.201';
      const end = windowStart + DEFAULTS.simulate.albFileSeconds;
      // ALB may deliver several files for one interval; keep names unique should a window recur.
      let path = '';
      do {
        path =
          `AWSLogs/${account}/elasticloadbalancing/${region}/${datePath(end)}/` +
          `${account}_elasticloadbalancing_${region}_app.${name}.${id}_${compactMinute(end)}_${node}_${randomSuffix(rng)}.log.gz`;
      } while (files.has(path));
      files.add(path);
      return path;
    },
    render(session: SimSession): { shard: string; lines: LogLine[] } {
      // One connection per session: one node, one client port, one target (sticky), one conn trace id.
      const shard = String(rng.int(0, nodes.length - 1));
      const port = rng.int(1024, 65535);
      const target = rng.pick(ELB_TARGETS);
      const conn = `TID_${hex(rng, 32)}`;
      return { shard, lines: session.requests.map((r) => ({ t: r.tEnd, text: line(session, r, port, target, conn) })) };
    },
    malformed(i: number): string {
      switch (i % 3) {
        case 0:
          return `malformed line ${i}: this is not an access log entry`;
        case 1:
          // A real-looking entry cut off mid-way, as a crashed writer leaves it.
          return `https 2026-11-02T10:00:0${i % 10}.000000Z ${elb} 198.51.100.${i % 250}:443 10.0.1.17:8080 0.000 0.01`;
        default:
          return `https not-a-time ${elb} 198.51.100.${i % 250}:5000 - -1 -1 -1 400 - 0 0 "- - - " "-" - - - "-" "-" "-" - also-not-a-time "-" "-" "-" "-" "-" "-" "-" TID_0 "-" "-" "-"`;
      }
    },
  };
}
