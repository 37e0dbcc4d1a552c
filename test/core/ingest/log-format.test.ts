/**
 * `--log-format`: the layouts servers are configured with, compiled and then applied by DuckDB to
 * lines as those servers write them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { OptionError } from '../../../lib/core/errors';
import { compileLogFormat, LOG_FORMAT_NICKNAMES, w3cLayout } from '../../../lib/core/ingest/log-format';
import { parseSql } from '../../../lib/core/ingest/parse-sql';
import { NETNEA_LAYOUT } from '../../helpers/real-logs';

const APACHE_COMBINED_D = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D';
const NGINX_TIMED =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" rt=$request_time urt="$upstream_response_time"';

interface Parsed {
  t_start: number | null;
  t_end: number | null;
  client_ip: string;
  user_agent: string;
  session_key: string | null;
  host: string | null;
  method: string;
  path: string;
  query: string;
  status: number | null;
  response_ms: number | null;
  reason: string | null;
}

/** `lines` written to a file and parsed with `layout` by DuckDB, one row per line in file order. */
async function parse(layout: string, lines: readonly string[], sessionCookie?: string): Promise<Parsed[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-logformat-')), 'access.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
  try {
    const sql = parseSql({
      format: 'combined', files: [file], logFormat: compileLogFormat(layout), sessionCookieNames: ['JSESSIONID', 'sid'],
      ...(sessionCookie ? { sessionCookie } : {}),
    });
    // One thread reads one file in order.
    return await engine.query<Parsed>(`SELECT * FROM (${sql}) p`);
  } finally {
    engine.close();
  }
}

describe('compileLogFormat: a server\'s layout into fields and their roles', () => {
  test('Apache LogFormat directives, with modifiers, headers and %% literals', () => {
    const f = compileLogFormat('%h %l %u %t "%r" %>s %b "%{User-agent}i" %{Host}i %{ms}T 100%%');
    expect(f.dialect).toBe('apache');
    expect(f.fields.map((x) => [x.directive, x.role.role])).toEqual([
      ['%h', 'client'], ['%l', 'other'], ['%u', 'other'], ['%t', 'time'], ['%r', 'request'], ['%>s', 'status'],
      ['%b', 'other'], ['%{User-agent}i', 'user_agent'], ['%{Host}i', 'host'], ['%{ms}T', 'duration'],
    ]);
    expect(f.regex.endsWith(' 100%\\s*$')).toBe(true);
  });

  test('nginx log_format variables; ${name} and $name alike', () => {
    const f = compileLogFormat('${remote_addr} [$time_iso8601] "$request_method $request_uri" $status $request_time $cookie_sid');
    expect(f.dialect).toBe('nginx');
    expect(f.fields.map((x) => x.role)).toEqual([
      { role: 'client' },
      { role: 'time', time: { kind: 'iso8601' }, atEnd: true },
      { role: 'method' }, { role: 'uri' }, { role: 'status', final: true },
      { role: 'duration', toMs: 1000, rank: 0 },
      { role: 'cookie', name: 'sid' },
    ]);
  });

  test('Envoy command operators: headers by name (alternatives after ?), times in milliseconds, a truncated path', () => {
    const f = compileLogFormat(
      '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH):256% %PROTOCOL%" %RESPONSE_CODE% %DURATION% ' +
        '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(User-Agent)%" "%REQ(:AUTHORITY)%" %DOWNSTREAM_REMOTE_ADDRESS% %ROUTE_NAME%',
    );
    expect(f.dialect).toBe('envoy');
    expect(f.fields.map((x) => x.role)).toEqual([
      { role: 'time', time: { kind: 'iso8601' }, atEnd: false },
      { role: 'method' }, { role: 'uri' }, { role: 'other' }, { role: 'status', final: true },
      { role: 'duration', toMs: 1, rank: 0 }, { role: 'duration', toMs: 1, rank: 1 },
      { role: 'forwarded_for' }, { role: 'user_agent' }, { role: 'host' }, { role: 'client' }, { role: 'other' },
    ]);
    expect(compileLogFormat('%START_TIME(%s)% "%REQ(:METHOD)% %REQ(:PATH)%" %RESPONSE_CODE%').fields[0]!.role).toEqual({
      role: 'time', time: { kind: 'epoch', perSecond: 1 }, atEnd: false,
    });
    expect(compileLogFormat('%START_TIME(%Y-%m-%dT%H:%M:%E3S)% "%REQ(:METHOD)% %REQ(:PATH)%" %RESPONSE_CODE%').fields[0]!.role).toEqual({
      role: 'time', time: { kind: 'strftime', format: '%Y-%m-%dT%H:%M:%S.%g' }, atEnd: false,
    });
    expect(() => compileLogFormat('[%START_TIME%] %REQ(:PATH)% %RESPONSE_CODE%')).toThrow(
      '--log-format lacks the request (%REQ(:METHOD)% with %REQ(:PATH)%), which sessions need',
    );
  });

  test('a URL in pieces with nothing between them is read as one URI', () => {
    const f = compileLogFormat('$time_local "$request_method $uri$is_args$args" $status');
    expect(f.fields.map((x) => [x.directive, x.role.role])).toEqual([
      ['$time_local', 'time'], ['$request_method', 'method'], ['$uri$is_args$args', 'uri'], ['$status', 'status'],
    ]);
  });

  test('a layout without a time, a request or a status is refused, naming what is missing', () => {
    expect(() => compileLogFormat('%h "%r" %b')).toThrow(OptionError);
    expect(() => compileLogFormat('%h "%r" %b')).toThrow('--log-format lacks a time (%t or %{format}t) and a status (%s or %>s), which sessions need');
    expect(() => compileLogFormat('$remote_addr [$time_local] $status')).toThrow(/lacks the request \(\$request, or \$request_method with \$request_uri\),/);
  });

  test('the layouts servers ship by name: the name reads as the layout, and stays as written', () => {
    for (const [name, layout] of Object.entries(LOG_FORMAT_NICKNAMES)) {
      const named = compileLogFormat(name);
      expect(named.source).toBe(name);
      expect({ ...named, source: layout }).toEqual(compileLogFormat(layout));
    }
    expect(() => compileLogFormat('combined_timed')).toThrow(
      /^--log-format combined_timed is not a layout nor a name Loadprint knows \(common, combined, combinedio, vhost_combined, main, envoy, istio, haproxy\); copy the layout string/,
    );
  });

  test('two fields that cannot be told apart are refused', () => {
    expect(() => compileLogFormat('%h %t "%r" %>s%b')).toThrow('--log-format: %>s and %b follow each other with nothing between');
  });
});

describe('a --log-format layout applied by DuckDB', () => {
  test('Apache combined + %D: microseconds become milliseconds, and %t is when the request arrived', async () => {
    const [row] = await parse(APACHE_COMBINED_D, [
      '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "GET /p/1?ref=x HTTP/1.1" 200 7113 "-" "Mozilla/5.0 (X11)" 88871',
    ]);
    expect(row).toMatchObject({ client_ip: '203.0.113.9', method: 'GET', path: '/p/1', query: 'ref=x', status: 200, user_agent: 'Mozilla/5.0 (X11)', reason: null });
    expect(row!.response_ms).toBeCloseTo(88.871, 6);
    expect(row!.t_start).toBe(Date.UTC(2016, 8, 2, 8, 42, 51) / 1000);
    expect(row!.t_end! - row!.t_start!).toBeCloseTo(0.088871, 6);
  });

  test('by name: Debian\'s vhost_combined keeps the virtual host, nginx\'s main takes the client from X-Forwarded-For', async () => {
    const [vhost] = await parse('vhost_combined', [
      'shop.example.com:443 203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "GET /p/1 HTTP/1.1" 200 7113 "-" "Mozilla/5.0 (X11)"',
    ]);
    expect(vhost).toMatchObject({ client_ip: '203.0.113.9', host: 'shop.example.com', path: '/p/1', status: 200, user_agent: 'Mozilla/5.0 (X11)', reason: null });
    const [main] = await parse('main', [
      '10.0.0.5 - - [02/Sep/2016:10:42:51 +0000] "POST /cart HTTP/1.1" 302 0 "-" "curl/8.0" "198.51.100.7"',
    ]);
    expect(main).toMatchObject({ client_ip: '198.51.100.7', method: 'POST', path: '/cart', status: 302, reason: null });
  });

  test('nginx with $request_time: logged when the response ended, the client from X-Forwarded-For', async () => {
    const rows = await parse(NGINX_TIMED, [
      '10.0.0.5 - - [02/Sep/2016:10:42:51 +0000] "POST /cart HTTP/1.1" 302 0 "-" "curl/8.0" "198.51.100.7, 10.0.0.9" rt=0.250 urt="0.248"',
      '10.0.0.5 - - [02/Sep/2016:10:42:52 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8.0" "-" rt=0.010 urt="-"',
      '10.0.0.5 - - [02/Sep/2016:10:42:53 +0000] "GET /retry HTTP/1.1" 200 10 "-" "curl/8.0" "-" rt=- urt="0.1, 0.2"',
    ]);
    expect(rows.map((r) => [r.client_ip, r.method, r.path, r.status, r.response_ms])).toEqual([
      ['198.51.100.7', 'POST', '/cart', 302, 250],
      ['10.0.0.5', 'GET', '/', 200, 10],
      // Neither duration reads as one number: unknown, not zero.
      ['10.0.0.5', 'GET', '/retry', 200, null],
    ]);
    expect(rows[0]!.t_end).toBe(Date.UTC(2016, 8, 2, 10, 42, 51) / 1000);
    expect(rows[0]!.t_start).toBeCloseTo(rows[0]!.t_end! - 0.25, 6);
  });

  test('Istio\'s and Envoy\'s defaults by name: the request\'s start, its duration, the client from X-Forwarded-For or else the downstream address without its port', async () => {
    const istio = await parse('istio', [
      '[2026-11-02T10:00:00.123Z] "GET /p/1?ref=x HTTP/1.1" 200 - via_upstream - "-" 0 512 25 23 "-" "curl/8.0" "0f6e-1" "shop.example.com" "10.244.1.5:8080" outbound|8080||shop.default.svc.cluster.local 10.244.2.9:41234 10.244.2.9:8080 198.51.100.7:40001 - default',
      '[2026-11-02T10:00:01.000Z] "POST /cart HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 156 91 30004 - "203.0.113.9, 10.0.0.1" "okhttp/4.12" "0f6e-2" "shop.example.com:443" "10.244.1.5:8080" outbound|8080||shop.default.svc.cluster.local 10.244.2.9:41236 10.244.2.9:8080 10.0.0.1:40002 - default',
      '[2026-11-02T10:00:02.000Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10.244.2.9:8443 10.0.0.1:40003 - -',
    ]);
    const start = Date.UTC(2026, 10, 2, 10, 0, 0) / 1000;
    expect(istio.map((r) => [r.client_ip, r.method, r.path, r.query, r.status, r.host, r.user_agent, r.response_ms, r.reason])).toEqual([
      ['198.51.100.7', 'GET', '/p/1', 'ref=x', 200, 'shop.example.com', 'curl/8.0', 25, null],
      ['203.0.113.9', 'POST', '/cart', '', 503, 'shop.example.com', 'okhttp/4.12', 30004, null],
      // A TCP connection through the proxy: no request to replay.
      ['10.0.0.1', null, null, '', 0, null, '-', 0, 'no_request'],
    ]);
    expect(istio[0]!.t_start).toBeCloseTo(start + 0.123, 6);
    expect(istio[0]!.t_end! - istio[0]!.t_start!).toBeCloseTo(0.025, 6);
    const [envoy] = await parse('envoy', [
      '[2026-11-02T10:00:00.123Z] "GET /p/1 HTTP/1.1" 200 - 0 512 25 23 "198.51.100.7" "curl/8.0" "0f6e-1" "shop.example.com" "10.244.1.5:8080"',
    ]);
    expect(envoy).toMatchObject({ client_ip: '198.51.100.7', method: 'GET', path: '/p/1', status: 200, host: 'shop.example.com', response_ms: 25, reason: null });
  });

  test('HAProxy\'s httplog by name: the request\'s date, its whole time (unknown when aborted), with or without captured headers', async () => {
    const rows = await parse('haproxy', [
      '10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"',
      '10.0.1.2:33318 [06/Feb/2009:12:14:15.000] http-in static/srv1 10/0/30/69/+110 200 2750 - - ---- 1/1/1/1/0 0/0 "GET /a?b=1 HTTP/1.1"',
      '10.0.1.3:33319 [06/Feb/2009:12:14:16.000] http-in static/srv1 10/0/-1/-1/-1 503 212 - - SC-- 2/2/0/0/3 0/0 "POST /cart HTTP/1.1"',
      '10.0.1.4:33320 [06/Feb/2009:12:14:17.000] http-in http-in/<NOSRV> -1/-1/-1/-1/0 400 187 - - PR-- 1/1/0/0/0 0/0 "<BADREQ>"',
      '10.0.1.5:33321 [06/Feb/2009:12:14:18.000] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0',
    ]);
    expect(rows.slice(0, 3).map((r) => [r.client_ip, r.method, r.path, r.query, r.status, r.response_ms, r.reason])).toEqual([
      ['10.0.1.2', 'GET', '/index.html', '', 200, 109, null],
      ['10.0.1.2', 'GET', '/a', 'b=1', 200, 110, null],
      ['10.0.1.3', 'POST', '/cart', '', 503, null, null],
    ]);
    // A request HAProxy could not read, and a tcplog line (no request at all).
    expect(rows.slice(3).map((r) => r.reason)).toEqual(['bad_request', 'unrecognized_line']);
    expect(rows[0]!.t_start).toBeCloseTo(Date.UTC(2009, 1, 6, 12, 14, 14, 655) / 1000, 6);
    expect(rows[0]!.t_end! - rows[0]!.t_start!).toBeCloseTo(0.109, 6);
  });

  test('IIS\'s W3C fields: the date and time as one stamp when the response ended, time-taken in milliseconds, + for spaces in the agent', async () => {
    const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-w3c-')), 'u_ex261102.log');
    writeFileSync(file, [
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      '2026-11-02 10:00:00 10.0.0.4 GET /default.aspx id=7 443 - 198.51.100.7 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 250',
      '2026-11-02 10:00:01 10.0.0.4 POST /cart - 443 - 198.51.100.7 Mozilla/5.0+(Windows+NT+10.0) - 302 0 0 31',
    ].join('\n'));
    const layout = w3cLayout('date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'.split(' '));
    try {
      const rows = await engine.query<Parsed>(`SELECT * FROM (${parseSql({ format: 'combined', files: [file], logFormat: layout })}) p`);
      // The header is no line of the log.
      expect(rows.map((r) => [r.client_ip, r.method, r.path, r.query, r.status, r.user_agent, r.response_ms, r.reason])).toEqual([
        ['198.51.100.7', 'GET', '/default.aspx', 'id=7', 200, 'Mozilla/5.0 (Windows NT 10.0)', 250, null],
        ['198.51.100.7', 'POST', '/cart', '', 302, 'Mozilla/5.0 (Windows NT 10.0)', 31, null],
      ]);
      expect(rows[0]!.t_end).toBe(Date.UTC(2026, 10, 2, 10, 0, 0) / 1000);
      expect(rows[0]!.t_start).toBeCloseTo(rows[0]!.t_end! - 0.25, 6);
    } finally {
      engine.close();
    }
    expect(() => w3cLayout(['time', 'date', 'cs-method', 'cs-uri-stem', 'sc-status'])).toThrow(/lack a date and time side by side/);
  });

  test('netnea\'s extended layout: strftime time with its microseconds, the host, and %D far past the agent', async () => {
    const [row] = await parse(NETNEA_LAYOUT, [
      '75.249.65.145 US - [2016-09-02 10:42:51.003372] "GET /cms/feed/ HTTP/1.1" 200 7113 "-" "Tiny Tiny RSS/1.15.3" www.example.com 124.165.3.7 443 redirect-handler - + "-" Vea2i8CoAwcAADevXAgAAAAB TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 701 12118 -% 88871 803 0 0 0 0',
    ]);
    expect(row).toMatchObject({ client_ip: '75.249.65.145', host: 'www.example.com', path: '/cms/feed/', status: 200, user_agent: 'Tiny Tiny RSS/1.15.3', reason: null });
    expect(row!.response_ms).toBeCloseTo(88.871, 6);
    expect(row!.t_start).toBeCloseTo(Date.UTC(2016, 8, 2, 10, 42, 51) / 1000 + 0.003372, 6);
  });

  test('epoch times, a URL in pieces and a session cookie, from the header or the cookie variable', async () => {
    const rows = await parse('$msec $remote_addr "$request_method $uri$is_args$args" $status "$http_cookie"', [
      '1472812971.250 192.0.2.1 "GET /search?q=shoes" 200 "theme=dark; sid=abc123"',
      '1472812972.000 192.0.2.1 "GET /" 200 "-"',
    ]);
    expect(rows.map((r) => [r.t_end, r.path, r.query, r.session_key])).toEqual([
      [1472812971.25, '/search', 'q=shoes', 'abc123'],
      [1472812972, '/', '', null],
    ]);
    const [named] = await parse('%{sec}t %a "%r" %s %{JSESSIONID}C', ['1472812971 192.0.2.1 "GET / HTTP/1.1" 200 0A1B2C']);
    expect(named).toMatchObject({ t_start: 1472812971, session_key: '0A1B2C' });
    // mod_usertrack's visitor cookie, as netnea's web-mail log carries it ("-" where none was set).
    const tracked = await parse('%h %t "%r" %>s "%{cookie}n"', [
      '192.0.2.1 [02/Sep/2016:10:42:51 +0000] "GET / HTTP/1.1" 200 "4a7ffdda.522871162568d"',
      '192.0.2.1 [02/Sep/2016:10:42:52 +0000] "GET / HTTP/1.1" 200 "-"',
    ]);
    expect(tracked.map((r) => r.session_key)).toEqual(['4a7ffdda.522871162568d', null]);
    // --session-cookie names the cookie: other cookies are not session ids.
    const [other] = await parse('%{sec}t %a "%r" %s "%{Cookie}i"', ['1472812971 192.0.2.1 "GET / HTTP/1.1" 200 "sid=x; cart=42"'], 'cart');
    expect(other!.session_key).toBe('42');
  });

  test('as pasted from httpd.conf, with \\" for quotes; lists in unquoted fields (a proxy chain, retried upstreams)', async () => {
    const rows = await parse('%{X-Forwarded-For}i %l %u %t \\"%r\\" %>s %b \\"%{User-agent}i\\"', [
      '198.51.100.7, 10.0.0.9 - - [02/Sep/2016:10:42:51 +0000] "GET /a HTTP/1.1" 200 5 "curl/8.0"',
      '198.51.100.8 - - [02/Sep/2016:10:42:52 +0000] "GET /b HTTP/1.1" 200 5 "curl/8.0"',
    ]);
    expect(rows.map((r) => [r.client_ip, r.path, r.user_agent, r.reason])).toEqual([
      ['198.51.100.7', '/a', 'curl/8.0', null],
      ['198.51.100.8', '/b', 'curl/8.0', null],
    ]);
    const upstream = await parse('$remote_addr [$time_local] "$request" $status $upstream_addr $upstream_response_time', [
      '192.0.2.1 [02/Sep/2016:10:42:51 +0000] "GET /a HTTP/1.1" 502 10.0.0.1:80, 10.0.0.2:80 0.500, 0.020',
      '192.0.2.1 [02/Sep/2016:10:42:52 +0000] "GET /b HTTP/1.1" 200 10.0.0.1:80 0.030',
    ]);
    expect(upstream.map((r) => [r.status, r.response_ms, r.reason])).toEqual([[502, null, null], [200, 30, null]]);
  });

  test('a line the layout does not describe is unrecognized; a bad time, a missing or bad request, a bad status says which', async () => {
    const rows = await parse(APACHE_COMBINED_D, [
      '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "GET / HTTP/1.1" 200 1 "-" "ua"',
      '203.0.113.9 - - [yesterday] "GET / HTTP/1.1" 200 1 "-" "ua" 5',
      '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "-" 408 1 "-" "ua" 5',
      '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "SSH-2.0-Go" 400 1 "-" "ua" 5',
      '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "GET / HTTP/1.1" - 1 "-" "ua" 5',
    ]);
    expect(rows.map((r) => r.reason)).toEqual(['unrecognized_line', 'bad_timestamp', 'no_request', 'bad_request', 'bad_status']);
  });
});
