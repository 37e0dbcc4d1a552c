/**
 * Path templating, executed for real in DuckDB: ids, UUIDs, hashes, tokens and high-cardinality
 * segments become named parameters; low-cardinality words stay literal; query strings keep keys.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { DUCKDB } from '../../../lib/core/sql/dialect';
import { pathParamsSql, pathTemplatesSql, queryTemplatesSql } from '../../../lib/core/sessions/template-paths';

const OPTIONS = { maxLiteralValues: 60, assetExtensions: ['js', 'css', 'jpg'] };
let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '256MB' });
  const paths = [
    '/', '/p/12345', '/p/777', '/orders/123e4567-e89b-12d3-a456-426614174000', '/blob/3f2a1b9c8d7e6f5a4b3c',
    '/c/shoes', '/c/bags', '/c/hats', '/u/aB3dE5gH7jK9mN1pQ3sT5v/profile', '/a/1/b/2', '/static/app.js',
    ...Array.from({ length: 200 }, (_, i) => `/item/sku-${1000 + i}`),
    ...Array.from({ length: 200 }, (_, i) => `/img/sku-${1000 + i}.jpg`),
  ];
  const queries = ['q=shoes&page=2', 'page=3&q=bags', '', 'evil%20key=1&ok=2'];
  const rows = paths.map((p, i) => `('${p}', '${queries[i % queries.length]}')`).join(', ');
  await engine.exec(`CREATE TABLE req AS SELECT * FROM (VALUES ${rows}) t(path, query)`);
  await engine.exec(`CREATE TABLE tpl AS ${pathTemplatesSql(DUCKDB, 'req', OPTIONS)}`);
});
afterAll(() => engine.close());

async function templateOf(path: string): Promise<string | undefined> {
  const rows = await engine.query<{ template: string }>(`SELECT template FROM tpl WHERE path = '${path}'`);
  return rows[0]?.template;
}

test.each([
  ['/p/12345', '/p/{id}'],
  ['/orders/123e4567-e89b-12d3-a456-426614174000', '/orders/{uuid}'],
  ['/blob/3f2a1b9c8d7e6f5a4b3c', '/blob/{hash}'],
  ['/u/aB3dE5gH7jK9mN1pQ3sT5v/profile', '/u/{token}/profile'],
  ['/a/1/b/2', '/a/{id}/b/{id2}'],
  ['/item/sku-1042', '/item/{slug}'],
  ['/img/sku-1042.jpg', '/img/{slug}.jpg'],
  ['/c/shoes', '/c/shoes'],
  ['/', '/'],
])('%s becomes %s', async (path, template) => {
  expect(await templateOf(path)).toBe(template);
});

test('static assets are marked by extension', async () => {
  const rows = await engine.query<{ path: string; is_asset: boolean }>(`SELECT path, is_asset FROM tpl WHERE path IN ('/static/app.js', '/p/777')`);
  expect(Object.fromEntries(rows.map((r) => [r.path, r.is_asset]))).toEqual({ '/static/app.js': true, '/p/777': false });
});

test('parameter values are read back per path, extension kept apart', async () => {
  const rows = await engine.query<{ param: string; value: string }>(
    `SELECT param, value FROM (${pathParamsSql(DUCKDB, 'tpl')}) WHERE path IN ('/a/1/b/2', '/img/sku-1042.jpg') ORDER BY param`,
  );
  expect(rows).toEqual([
    { param: '{id2}', value: '2' },
    { param: '{id}', value: '1' },
    { param: '{slug}', value: 'sku-1042' },
  ]);
});

test('query strings keep their keys, sorted, with values as parameters; unsafe keys are dropped', async () => {
  const rows = await engine.query<{ query: string; suffix: string }>(queryTemplatesSql(DUCKDB, 'req'));
  const byQuery = Object.fromEntries(rows.map((r) => [r.query, r.suffix]));
  expect(byQuery['q=shoes&page=2']).toBe('?page={page}&q={q}');
  expect(byQuery['page=3&q=bags']).toBe('?page={page}&q={q}');
  expect(byQuery['evil%20key=1&ok=2']).toBe('?ok={ok}');
});
