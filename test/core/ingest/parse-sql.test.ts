/**
 * The parse layer's pieces that stand alone, the URL normalisation run by DuckDB, and why lines are
 * rejected; the parse itself is tested through `loadprint run` on every format (test/cli/run-formats.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { normalizeSql } from '../../../lib/core/ingest/normalize-requests';
import { jsonPaths, parseSql } from '../../../lib/core/ingest/parse-sql';
import type { LogFormat } from '../../../lib/core/types';
import { dialectFor, sqlString } from '../../../lib/core/sql/dialect';

describe('jsonPaths: what a --columns name means in a JSON record', () => {
  test('a plain name is a top-level key', () => {
    expect(jsonPaths('ts')).toEqual(['$."ts"']);
    expect(jsonPaths('@timestamp')).toEqual(['$."@timestamp"']);
  });

  test('dots and [n] are tried as a literal key first, then as the nested value they spell', () => {
    expect(jsonPaths('http.request.method')).toEqual(['$."http.request.method"', '$."http"."request"."method"']);
    expect(jsonPaths('request.headers.User-Agent[0]')).toEqual([
      '$."request.headers.User-Agent[0]"',
      '$."request"."headers"."User-Agent"[0]',
    ]);
  });
});

describe('normalizeSql: a request target into host, path and query', () => {
  const normalized = async (urls: string[]) => {
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      const rows = urls.map((u) => `(0.0, 0.0, '1.2.3.4', 'ua', NULL, NULL, 'get', ${sqlString(u)}, 200, 1.0)`).join(', ');
      const source = `(VALUES ${rows}) v(t_start, t_end, client_ip, user_agent, session_key, host, method, url, status, response_ms)`;
      return await engine.query<{ host: string | null; method: string; path: string; query: string }>(
        `SELECT host, method, path, query FROM (${normalizeSql(dialectFor('duckdb'), source)}) n`,
      );
    } finally {
      engine.close();
    }
  };

  test('an absolute URL (ALB logs them so) gives its host, path and query', async () => {
    expect(await normalized(['https://shop.example.com:443/p/1?ref=x', 'http://shop.example.com'])).toEqual([
      { host: 'shop.example.com', method: 'GET', path: '/p/1', query: 'ref=x' },
      { host: 'shop.example.com', method: 'GET', path: '/', query: '' },
    ]);
  });

  test('a relative target keeps its path when a query value or a junk path holds "://"', async () => {
    expect(await normalized(['/login?next=https://idp.example/cb', '/misc//%22file://$file/%22', '/'])).toEqual([
      { host: null, method: 'GET', path: '/login', query: 'next=https://idp.example/cb' },
      { host: null, method: 'GET', path: '/misc//%22file://$file/%22', query: '' },
      { host: null, method: 'GET', path: '/', query: '' },
    ]);
  });
});

/** `lines` parsed as `format` by DuckDB, in file order. */
async function parsed(format: LogFormat, lines: readonly string[]): Promise<{ reason: string | null; t_start: number; t_end: number; response_ms: number | null; client_ip: string }[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-parse-')), 'access.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
  try {
    // One thread reads one file in order.
    return await engine.query(`SELECT reason, t_start, t_end, response_ms, client_ip FROM (${parseSql({ format, files: [file] })}) p`);
  } finally {
    engine.close();
  }
}

describe('combined: the request time after the agent', () => {
  test('nginx\'s $request_time (alone, before more fields, keyed, after the forwarded-for), Apache\'s %D, Traefik\'s duration and ingress-nginx\'s upstreaminfo are read; other fields there are not', async () => {
    const line = (tail: string) => `192.0.2.1 - - [28/Nov/2026:09:15:02 +0000] "GET /p/1 HTTP/1.1" 200 512 "-" "Mozilla/5.0"${tail}`;
    const rows = await parsed('combined', [
      line(' 0.250'), // nginx: stamped when the response ended
      line(' 250000'), // Apache %D, microseconds: stamped when the request arrived
      line(' 489 0.250 [default-shop-80] [] 10.244.1.5:8080 1637 0.249 200 d5f4b3b2e4b06ce60741c7a87ce42c82'), // ingress-nginx
      line(' 0.250 0.248'), // nginx: $request_time $upstream_response_time
      line(' 0.250 -'), // the same, served without an upstream
      line(' rt=0.250 uct="0.000" uht="0.247" urt="0.248"'), // nginx's documented upstream_time layout
      line(' "203.0.113.7" 0.250'), // nginx's main with $request_time after the forwarded-for
      line(' 1042 "websecure-shop@kubernetes" "http://10.42.0.7:8080" 250ms'), // Traefik: stamped at the start
      line(' "10.0.0.1" 512'), // a forwarded-for and bytes: no time
      line(' crt=0.250'), // a key that is not the request time's
      line(''),
    ]);
    const at = Date.UTC(2026, 10, 28, 9, 15, 2) / 1000;
    expect(rows.map((r) => r.response_ms)).toEqual([250, 250, 250, 250, 250, 250, 250, 250, null, null, null]);
    const end = [at - 0.25, at];
    expect(rows.map((r) => [r.t_start, r.t_end])).toEqual([end, [at, at + 0.25], end, end, end, end, end, [at, at + 0.25], [at, at], [at, at], [at, at]]);
  });
});

describe('combined: the client', () => {
  test('behind a load balancer, nginx\'s `main` names the client in its X-Forwarded-For after the agent', async () => {
    const line = (tail: string) => `10.0.0.5 - - [28/Nov/2026:09:15:02 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0"${tail}`;
    const rows = await parsed('combined', [
      line(' "203.0.113.7, 10.0.0.1"'), // the client first, then the proxies
      line(' "2001:db8::7"'),
      line(' "-"'), // no proxy in front: $remote_addr is the client
      line(''),
      line(' 0.250'),
    ]);
    expect(rows.map((r) => r.client_ip)).toEqual(['203.0.113.7', '2001:db8::7', '10.0.0.5', '10.0.0.5', '10.0.0.5']);
  });
});

describe('combined: the time stamp', () => {
  test('with a fraction of a second (Apache\'s %{msec_frac}t, %{usec_frac}t), with or without its zone', async () => {
    const line = (stamp: string) => `192.0.2.1 - - [${stamp}] "GET / HTTP/1.1" 200 5 "-" "curl/8"`;
    const rows = await parsed('combined', [
      line('28/Nov/2026:09:15:02 +0000'),
      line('28/Nov/2026:09:15:02.123 +0000'),
      line('28/Nov/2026:10:15:02.123456 +0100'),
      line('28/Nov/2026:09:15:02.5'),
    ]);
    const at = Date.UTC(2026, 10, 28, 9, 15, 2) / 1000;
    expect(rows.map((r) => r.reason)).toEqual([null, null, null, null]);
    expect(rows.map((r) => r.t_start - at)).toEqual([0, expect.closeTo(0.123, 6), expect.closeTo(0.123456, 6), 0.5]);
  });
});

describe('why a line is rejected', () => {
  const reasons = async (format: LogFormat, lines: readonly string[]) => (await parsed(format, lines)).map((r) => r.reason);

  test('combined: a connection that sent no request is no_request, a request that is not METHOD /path bad_request', async () => {
    const at = '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200]';
    expect(await reasons('combined', [
      `${at} "GET /a HTTP/1.1" 200 12 "-" "curl/8"`,
      `${at} "-" 408 - "-" "-"`, // Apache: the client connected and timed out
      `${at} "" 400 0 "-" "-"`, // nginx: the same
      `${at} "\\x16\\x03\\x01\\x02\\x00\\x01" 400 157 "-" "-"`, // TLS to a plain-HTTP port, as Apache escapes it
    ])).toEqual([null, 'no_request', 'no_request', 'bad_request']);
  });

  test('JSON: a `request` that is an object, not a request line, is bad_request (it must never reach the model as one)', async () => {
    const record = (request: unknown) => JSON.stringify({ timestamp: '2026-11-28T09:15:02Z', status: 200, request });
    expect(await reasons('jsonl', [record('GET /a HTTP/1.1'), record({ method: 'GET', uri: '/a', remote_ip: '192.0.2.1' })])).toEqual([null, 'bad_request']);
  });

  test('ALB: a request line of dashes is no_request', async () => {
    const line = (request: string) => `http 2026-11-28T09:15:02.123456Z app/shop/50dc6c495c0c9188 192.0.2.10:2817 - -1 -1 -1 408 - 0 0 "${request}" "-" - - - "-" "-" "-" - 2026-11-28T09:15:01.100000Z "-" "-" "-" "-" "-" "-" "-"`;
    expect(await reasons('alb', [line('- - - '), line('GET http://shop.example.com:80/ HTTP/1.1')])).toEqual(['no_request', null]);
  });
});
