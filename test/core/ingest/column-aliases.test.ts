/**
 * Columns the user did not map are read by the common names servers and loggers give them, and only
 * when the canonical name is absent.
 */
import { aliasColumnMap, describeAliases, jsonKeyPaths } from '../../../lib/core/ingest/column-aliases';

describe('aliasColumnMap', () => {
  test("nginx's JSON template: each column from its nginx variable's name", () => {
    const keys = ['time_local', 'remote_addr', 'request', 'status', 'body_bytes_sent', 'request_time', 'http_referer', 'http_user_agent', 'http_host'];
    expect(aliasColumnMap(keys, {}, false)).toEqual({
      timestamp: 'time_local',
      client_ip: 'remote_addr',
      response_time_s: 'request_time',
      user_agent: 'http_user_agent',
      host: 'http_host',
    });
  });

  test('a canonical name present, or a column the user mapped, keeps its own; a mapped key is not taken twice', () => {
    expect(aliasColumnMap(['timestamp', 'time', 'uri', 'status'], {}, false)).toEqual({ path: 'uri' });
    expect(aliasColumnMap(['time', 'ts', 'uri', 'status'], { timestamp: 'ts', path: 'time' }, false)).toEqual({});
  });

  test('JSON keys match as written (Traefik\'s Duration is nanoseconds, not seconds; a Duration elsewhere is no duration); CSV headers in lower case', () => {
    expect(aliasColumnMap(['StartUTC', 'ClientHost', 'RequestMethod', 'RequestPath', 'DownstreamStatus', 'Duration'], {}, false)).toEqual({
      timestamp: 'StartUTC',
      client_ip: 'ClientHost',
      method: 'RequestMethod',
      path: 'RequestPath',
      status: 'DownstreamStatus',
      response_time_ns: 'Duration',
    });
    expect(aliasColumnMap(['time', 'uri', 'status', 'Duration'], {}, false)).toEqual({ path: 'uri', timestamp: 'time' });
    expect(aliasColumnMap(['starttime', 'remote_addr', 'request_method', 'request_uri', 'status_code'], {}, true)).toEqual({
      client_ip: 'remote_addr',
      method: 'request_method',
      path: 'request_uri',
      status: 'status_code',
    });
  });

  test('described as the run says it', () => {
    expect(describeAliases({ timestamp: 'time_local', client_ip: 'remote_addr' })).toBe('timestamp=time_local, client_ip=remote_addr');
  });
});

describe('nested JSON keys (Caddy, pino-http)', () => {
  const caddy = {
    ts: 1764320000.123, logger: 'http.log.access', duration: 0.012, status: 200,
    request: { client_ip: '192.0.2.1', method: 'GET', host: 'shop.example.com', uri: '/p/1', headers: { 'User-Agent': ['Mozilla/5.0'], Accept: ['*/*'] } },
  };

  test('a record\'s keys include its nested ones as --columns paths, the first of a list of strings too', () => {
    expect(jsonKeyPaths(caddy)).toEqual([
      'ts', 'logger', 'duration', 'status',
      'request', 'request.client_ip', 'request.method', 'request.host', 'request.uri',
      'request.headers', 'request.headers.User-Agent', 'request.headers.User-Agent[0]', 'request.headers.Accept', 'request.headers.Accept[0]',
    ]);
  });

  test('Caddy\'s nested names are common names, and its duration is seconds; a duration elsewhere is left alone', () => {
    expect(aliasColumnMap(jsonKeyPaths(caddy), {}, false)).toEqual({
      timestamp: 'ts', client_ip: 'request.client_ip', method: 'request.method', path: 'request.uri',
      user_agent: 'request.headers.User-Agent[0]', host: 'request.host', response_time_s: 'duration',
    });
    expect(aliasColumnMap(['time', 'uri', 'status', 'duration'], {}, false)).toEqual({ timestamp: 'time', path: 'uri' });
    // pino-http's responseTime is milliseconds, where the record is pino-http's
    const pino = { time: 1764320000123, req: { method: 'GET', url: '/p/1', remoteAddress: '192.0.2.1' }, res: { statusCode: 200 }, responseTime: 12 };
    expect(aliasColumnMap(jsonKeyPaths(pino), {}, false)).toMatchObject({ method: 'req.method', path: 'req.url', status: 'res.statusCode', response_time_ms: 'responseTime' });
  });
});
