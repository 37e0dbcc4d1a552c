/**
 * The parse layer's pieces that stand alone, the URL normalisation run by DuckDB; the parse itself is
 * tested through `loadprint run` on every format (test/cli/run-formats.test.ts).
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { normalizeSql } from '../../../lib/core/ingest/normalize-requests';
import { jsonPaths } from '../../../lib/core/ingest/parse-sql';
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
