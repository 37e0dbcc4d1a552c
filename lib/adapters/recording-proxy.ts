/**
 * A recording reverse proxy on 127.0.0.1 for `loadprint validate --target URL`: the load tool talks
 * to the proxy, the proxy forwards every request to the user's server unchanged and writes one JSON
 * access-log line per request (millisecond times, status, user agent) in the same shape as the demo
 * target's `jsonl` log. This captures the tool's per-request traffic for any tool, without asking
 * Locust or Artillery for a per-request output neither offers from the command line.
 */
import { createWriteStream } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { jsonAccessLine } from '../demo-target/server';

export interface RecordingProxy {
  readonly url: string;
  /** Requests forwarded so far (answered or failed). */
  count(): number;
  close(): Promise<void>;
}

/** Status logged when the target could not be reached: what a gateway answers. */
const BAD_GATEWAY = 502;
/** A request the target does not answer within this long is logged and answered as a gateway timeout. */
const UPSTREAM_TIMEOUT_MS = 30_000;
const GATEWAY_TIMEOUT = 504;

export async function startRecordingProxy(options: { target: string; logFile: string }): Promise<RecordingProxy> {
  const target = new URL(options.target);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const basePath = target.pathname.replace(/\/$/, '');
  const log = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise<void>((resolve, reject) => {
    log.once('open', () => resolve());
    log.once('error', reject);
  });
  let forwarded = 0;
  const record = (req: IncomingMessage, status: number, at: number, started: bigint): void => {
    forwarded++;
    log.write(
      jsonAccessLine({
        at,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        clientIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: String(req.headers['user-agent'] ?? '-'),
        method: (req.method ?? 'GET').toUpperCase(),
        url: req.url ?? '/',
        status,
        host: target.host,
      }),
    );
  };
  const server = createServer((req, res) => {
    const at = Date.now();
    const started = process.hrtime.bigint();
    const upstream = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${basePath}${req.url ?? '/'}`,
        headers: { ...req.headers, host: target.host },
        timeout: UPSTREAM_TIMEOUT_MS,
      },
      (answer) => {
        const status = answer.statusCode ?? BAD_GATEWAY;
        res.writeHead(status, answer.headers);
        answer.pipe(res);
        answer.once('end', () => record(req, status, at, started));
      },
    );
    upstream.once('timeout', () => upstream.destroy(new Error('upstream timeout')));
    upstream.once('error', (e) => {
      const status = e.message === 'upstream timeout' ? GATEWAY_TIMEOUT : BAD_GATEWAY;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
      res.end();
      record(req, status, at, started);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => forwarded,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
