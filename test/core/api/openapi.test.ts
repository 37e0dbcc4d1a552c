import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { FolderStore } from '../../../lib/adapters/folder-store';
import { createApiHandler, servedRoutes, type ApiDeps, type ApiHandler } from '../../../lib/core/api/handler';
import type { ApiGatewayResult } from '../../../lib/core/api/http';
import { buildOpenApiDocument } from '../../../lib/core/api/openapi';
import { event, memoryLogger } from './api-test-kit';
import { LATEST_RUN, writeResultsRoot } from './results-root-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document
const doc = buildOpenApiDocument() as Json;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const documented = Object.entries(doc['paths'] as Json).flatMap(([p, item]) =>
  Object.keys(item as Json)
    .filter((m) => METHODS.includes(m))
    .map((m) => ({ method: m.toUpperCase(), path: p })),
);

/** A concrete URL for a path template, using the fixture's runs. */
function concrete(template: string, values: Record<string, string> = {}): string {
  const defaults: Record<string, string> = { runId: LATEST_RUN, tool: 'artillery', file: 'processor.js', ...values };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => defaults[name] ?? name);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(JSON.parse(JSON.stringify(doc).replaceAll('"#/components/', '"openapi#/components/')), 'openapi');

/** Asserts that the response is one the document lists for this operation, body included. */
function expectDocumented(method: string, template: string, res: ApiGatewayResult): void {
  const op = (doc['paths'] as Json)[template][method.toLowerCase()] as Json;
  const declared = op['responses'][String(res.statusCode)] as Json | undefined;
  expect({ operation: `${method} ${template}`, status: res.statusCode, documented: declared !== undefined }).toEqual({
    operation: `${method} ${template}`,
    status: res.statusCode,
    documented: true,
  });
  const content = (declared as Json)['content'] as Json | undefined;
  if (!content) {
    expect(res.body).toBe('');
    return;
  }
  const type = (res.headers['Content-Type'] ?? '').split(';')[0]!.trim();
  expect(Object.keys(content)).toContain(type);
  const schema = content[type]?.['schema'] as Json | undefined;
  if (schema && type === 'application/json') {
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')));
    const ok = validate(JSON.parse(res.body));
    expect({ operation: `${method} ${template}`, errors: ok ? null : validate.errors }).toEqual({
      operation: `${method} ${template}`,
      errors: null,
    });
  }
}

describe('OpenAPI document against the handler', () => {
  let root: string;
  let handler: ApiHandler;
  let deps: ApiDeps;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lp-openapi-'));
    await writeResultsRoot(root);
    deps = {
      store: new FolderStore(root),
      runStarter: { start: async () => {} },
      clock: { now: () => new Date('2026-11-28T12:00:00Z') },
      logger: memoryLogger(),
    };
    handler = createApiHandler(deps, { timeoutEarlyInMillis: 0 });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is an OpenAPI 3.1 document served at /openapi.json', async () => {
    const res = await handler(event('GET', '/openapi.json'), {} as never);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(doc);
    expect(doc['openapi']).toMatch(/^3\.1\./);
  });

  it('documents exactly the routes the handler serves', () => {
    const served = servedRoutes(deps).map((r) => `${r.method} ${r.path}`).sort();
    expect(documented.map((r) => `${r.method} ${r.path}`).sort()).toEqual(served);
  });

  it.each(documented)('$method $path answers its success case as documented', async ({ method, path: template }) => {
    // Given the fixture root; When the operation is called as a client would
    const body = method === 'POST' ? JSON.stringify({ inputs: ['logs/'] }) : undefined;
    const res = await handler(
      event(method, concrete(template), { ...(body ? { body, headers: { 'Content-Type': 'application/json' } } : {}) }),
      {} as never,
    );
    // Then the status, content type and body are the documented ones
    expect(res.statusCode).toBeLessThan(300);
    expectDocumented(method, template, res);
  });

  it.each(documented.filter((r) => r.method === 'GET'))('$method $path answers 304 as documented on a matching ETag', async ({ method, path: template }) => {
    const first = await handler(event(method, concrete(template)), {} as never);
    const res = await handler(event(method, concrete(template), { headers: { 'If-None-Match': first.headers['ETag'] as string } }), {} as never);
    expect(res.statusCode).toBe(304);
    expectDocumented(method, template, res);
  });

  it.each(documented.filter((r) => r.path.includes('{runId}')))('$method $path answers 404 and 400 as documented', async ({ method, path: template }) => {
    const missing = await handler(event(method, concrete(template, { runId: '20000101T000000Z-000000' })), {} as never);
    const invalid = await handler(event(method, concrete(template, { runId: '-bad' })), {} as never);
    const traversal = await handler(event(method, concrete(template, { runId: '%2e%2e' })), {} as never);
    expect([missing.statusCode, invalid.statusCode, traversal.statusCode]).toEqual([404, 400, 400]);
    for (const res of [missing, invalid, traversal]) expectDocumented(method, template, res);
  });

  it('documents the error answers of GET /runs and POST /runs', async () => {
    expectDocumented('GET', '/runs', await handler(event('GET', '/runs', { query: { limit: '0' } }), {} as never));
    for (const [body, type] of [
      ['{"inputs": []}', 'application/json'],
      ['{"inputs": ["x"]}', 'text/plain'],
      [JSON.stringify({ inputs: ['x'.repeat(70_000)] }), 'application/json'],
    ] as const) {
      const res = await handler(event('POST', '/runs', { body, headers: { 'Content-Type': type } }), {} as never);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expectDocumented('POST', '/runs', res);
    }
  });

  it('answers undocumented methods on documented paths with 405, never 2xx', async () => {
    for (const template of Object.keys(doc['paths'] as Json)) {
      for (const method of METHODS.map((m) => m.toUpperCase())) {
        if (documented.some((d) => d.method === method && d.path === template)) continue;
        const res = await handler(event(method, concrete(template)), {} as never);
        expect({ route: `${method} ${template}`, status: res.statusCode }).toEqual({ route: `${method} ${template}`, status: 405 });
      }
    }
  });
});
