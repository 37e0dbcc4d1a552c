/**
 * Columns the user did not map are read by the common names servers and loggers give them, and only
 * when the canonical name is absent.
 */
import { aliasColumnMap, describeAliases } from '../../../lib/core/ingest/column-aliases';

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

  test('JSON keys match as written (Traefik\'s Duration is nanoseconds, not a duration in seconds); CSV headers in lower case', () => {
    expect(aliasColumnMap(['StartUTC', 'ClientHost', 'RequestMethod', 'RequestPath', 'DownstreamStatus', 'Duration'], {}, false)).toEqual({
      timestamp: 'StartUTC',
      client_ip: 'ClientHost',
      method: 'RequestMethod',
      path: 'RequestPath',
      status: 'DownstreamStatus',
    });
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
