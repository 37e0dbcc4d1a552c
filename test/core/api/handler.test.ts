import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderStore } from '../../../lib/adapters/folder-store';
import { createApiHandler, type ApiHandler } from '../../../lib/core/api/handler';
import { RunRejectedError, RunsBusyError, type RunStartInput } from '../../../lib/core/api/run-starter';
import { contentType, event, json, memoryLogger, RecordingStore, TRAVERSAL_PATHS } from './api-test-kit';
import { ALL_RUNS_NEWEST_FIRST, FAILED_RUN, LATEST_RUN, OLD_RUN, RUNNING_RUN, writeResultsRoot } from './results-root-fixture';

const NOW = new Date('2026-11-28T12:30:45.000Z');

describe('API handler over a results folder', () => {
  let root: string;
  let store: RecordingStore;
  let started: RunStartInput[];
  let startImpl: (input: RunStartInput) => Promise<void>;
  let logger: ReturnType<typeof memoryLogger>;
  let handler: ApiHandler;
  const call = (...args: Parameters<typeof event>) => handler(event(...args), {} as never);

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lp-api-'));
    await writeResultsRoot(path.join(root, 'results'));
    store = new RecordingStore(new FolderStore(path.join(root, 'results')));
    started = [];
    startImpl = async (input) => {
      started.push(input);
    };
    logger = memoryLogger();
    handler = createApiHandler(
      {
        store,
        runStarter: { start: (input) => startImpl(input) },
        clock: { now: () => NOW },
        logger,
        newRunId: () => '20261128T123045Z-0f0f0f',
      },
      { timeoutEarlyInMillis: 0 },
    );
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe('run files', () => {
    it.each([
      ['/runs/20261127T090000Z-bbb222', 'application/json', '"status": "succeeded"'],
      ['/runs/20261127T090000Z-bbb222/model', 'application/json', '"schemaVersion": 1'],
      ['/runs/20261127T090000Z-bbb222/personas', 'application/json', '"algorithm": "kmeans"'],
      ['/runs/20261127T090000Z-bbb222/validation', 'application/json', '"figure": "endpoint_mix"'],
      ['/runs/20261127T090000Z-bbb222/report', 'text/html', '<h1>Run 20261127T090000Z-bbb222</h1>'],
      ['/runs/20261127T090000Z-bbb222/scenarios/k6', 'application/javascript', "import http from 'k6/http'"],
      ['/runs/20261127T090000Z-bbb222/scenarios/locust', 'text/x-python', 'from locust import HttpUser'],
      ['/runs/20261127T090000Z-bbb222/scenarios/artillery', 'application/yaml', 'processor: "./processor.js"'],
      ['/runs/20261127T090000Z-bbb222/scenarios/artillery/processor.js', 'application/javascript', 'THINK_SCALE'],
    ])('GET %s answers 200 with %s and the stored bytes', async (p, type, snippet) => {
      // Given the fixture root; When the file is fetched
      const res = await call('GET', p);
      // Then it is served as stored, typed, with a strong ETag
      expect(res.statusCode).toBe(200);
      expect(contentType(res)).toMatch(new RegExp(`^${type}`));
      expect(res.body).toContain(snippet);
      expect(res.headers['ETag']).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
    });

    it('names the scenario file for downloads', async () => {
      const res = await call('GET', `/runs/${LATEST_RUN}/scenarios/locust`);
      expect(res.headers['Content-Disposition']).toBe('inline; filename="locustfile.py"');
    });

    it('never serves sessions.csv, which holds client IPs', async () => {
      const res = await call('GET', `/runs/${LATEST_RUN}/sessions`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('198.51.100.7');
    });
  });

  describe('ETags', () => {
    it('answers 304 without a body when If-None-Match holds the current ETag, and 200 after the file changes', async () => {
      // Given a fetched model and its ETag
      const first = await call('GET', `/runs/${LATEST_RUN}/model`);
      const etag = first.headers['ETag'] as string;
      // When it is fetched again with that ETag (and with a weak form a proxy might send)
      const again = await call('GET', `/runs/${LATEST_RUN}/model`, { headers: { 'if-none-match': etag } });
      const weak = await call('GET', `/runs/${LATEST_RUN}/model`, { headers: { 'If-None-Match': `"nope", W/${etag}` } });
      // Then both are 304 with no body
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers['ETag']).toBe(etag);
      expect(weak.statusCode).toBe(304);
      // When the model is rewritten, the old ETag no longer matches
      await store.put(`runs/${LATEST_RUN}/model.json`, '{"schemaVersion":1,"window":{},"personas":[]}');
      const changed = await call('GET', `/runs/${LATEST_RUN}/model`, { headers: { 'If-None-Match': etag } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers['ETag']).not.toBe(etag);
    });
  });

  describe('latest', () => {
    it('resolves to the newest succeeded run by finishedAt when there is no pointer, and says which run it was', async () => {
      // Given runs where the two newest failed or are still running
      const res = await call('GET', '/runs/latest/scenarios/k6');
      // Then latest is the newest succeeded run
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`run ${LATEST_RUN}`);
      expect(res.headers['Loadprint-Run-Id']).toBe(LATEST_RUN);
      expect(res.headers['Content-Location']).toBe(`/runs/${LATEST_RUN}/scenarios/k6`);
    });

    it('follows latest.json when it names a succeeded run, and ignores it when it names a failed one', async () => {
      await store.put('latest.json', JSON.stringify({ runId: OLD_RUN }));
      expect((await call('GET', '/runs/latest')).headers['Loadprint-Run-Id']).toBe(OLD_RUN);
      await store.put('latest.json', JSON.stringify({ runId: FAILED_RUN }));
      expect((await call('GET', '/runs/latest')).headers['Loadprint-Run-Id']).toBe(LATEST_RUN);
    });

    it('answers 404 no_successful_run in a root with no succeeded run', async () => {
      const empty = createApiHandler(
        { store: new FolderStore(path.join(root, 'empty')), runStarter: { start: async () => {} }, clock: { now: () => NOW }, logger },
        { timeoutEarlyInMillis: 0 },
      );
      const res = await empty(event('GET', '/runs/latest/model'), {} as never);
      expect(res.statusCode).toBe(404);
      expect(json(res)).toEqual({ error: { code: 'no_successful_run', message: expect.any(String) } });
    });
  });

  describe('GET /runs', () => {
    it('pages newest first with a cursor until the last page', async () => {
      // When the runs are listed two at a time
      const first = await call('GET', '/runs', { query: { limit: '2' } });
      const page1 = json(first) as { runs: { runId: string; status: string }[]; nextCursor: string };
      const second = await call('GET', '/runs', { query: { limit: '2', cursor: page1.nextCursor } });
      const page2 = json(second) as { runs: { runId: string }[]; nextCursor: string | null };
      // Then together they hold every run once, newest first, and the last page has no cursor
      expect([...page1.runs, ...page2.runs].map((r) => r.runId)).toEqual(ALL_RUNS_NEWEST_FIRST);
      expect(page1.runs.map((r) => r.status)).toEqual(['running', 'failed']);
      expect(page2.nextCursor).toBeNull();
    });

    it.each([['0'], ['101'], ['abc'], ['-1'], ['2.5']])('refuses limit=%s with 400 invalid_limit', async (limit) => {
      const res = await call('GET', '/runs', { query: { limit } });
      expect(res.statusCode).toBe(400);
      expect((json(res) as { error: { code: string } }).error.code).toBe('invalid_limit');
    });

    it('refuses a cursor it did not issue', async () => {
      const res = await call('GET', '/runs', { query: { cursor: Buffer.from('../etc').toString('base64url') } });
      expect(res.statusCode).toBe(400);
      expect((json(res) as { error: { code: string } }).error.code).toBe('invalid_cursor');
    });
  });

  describe('errors', () => {
    it.each([
      ['/runs/20991231T000000Z-zzz999', 404, 'run_not_found'],
      ['/runs/20991231T000000Z-zzz999/model', 404, 'run_not_found'],
      [`/runs/${FAILED_RUN}/model`, 404, 'file_not_found'],
      [`/runs/${RUNNING_RUN}/report`, 404, 'file_not_found'],
      [`/runs/${LATEST_RUN}/scenarios/jmeter`, 404, 'unknown_tool'],
      ['/runs/-starts-with-dash', 400, 'invalid_run_id'],
      [`/runs/${'a'.repeat(101)}`, 400, 'invalid_run_id'],
      ['/nothing-here', 404, 'route_not_found'],
    ])('GET %s answers %i %s as a JSON error', async (p, status, code) => {
      const res = await call('GET', p);
      expect(res.statusCode).toBe(status);
      expect(contentType(res)).toMatch(/^application\/json/);
      expect(json(res)).toEqual({ error: { code, message: expect.any(String) } });
    });

    it('says which run is missing a file and in what state it is', async () => {
      const res = await call('GET', `/runs/${RUNNING_RUN}/report`);
      expect((json(res) as { error: { message: string } }).error.message).toContain('run status: running');
    });

    it('answers 405 with Allow for a known path and an unsupported method', async () => {
      const res = await call('DELETE', `/runs/${LATEST_RUN}`);
      expect(res.statusCode).toBe(405);
      expect(res.headers['Allow']).toBe('GET');
    });

    it('turns an unexpected failure into a generic 500 that leaks nothing, and logs the cause', async () => {
      // Given a store that fails with an internal message
      const broken = createApiHandler(
        {
          store: { get: async () => { throw new Error('EACCES /srv/secret/bucket-creds'); }, put: async () => {}, list: async () => [] },
          runStarter: { start: async () => {} },
          clock: { now: () => NOW },
          logger,
        },
        { timeoutEarlyInMillis: 0 },
      );
      // When a run is fetched
      const res = await broken(event('GET', `/runs/${LATEST_RUN}/model`), {} as never);
      // Then the client sees a generic JSON 500 and the log has the real cause
      expect(res.statusCode).toBe(500);
      expect(contentType(res)).toMatch(/^application\/json/);
      expect(json(res)).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
      expect(res.body).not.toContain('secret');
      const logged = logger.lines.find((l) => l.level === 'error');
      expect(String((logged?.fields?.['error'] as Error).message)).toContain('bucket-creds');
    });
  });

  describe('traversal attempts', () => {
    it.each(TRAVERSAL_PATHS)('%s is refused with 400/404 without touching the store', async (p) => {
      // Given a secret next to the results root
      await writeFile(path.join(root, 'secret'), 'TOP-SECRET');
      // When the tricky path is requested
      const res = await call('GET', p);
      // Then it is refused and the store was never asked for anything
      expect([400, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain('TOP-SECRET');
      expect(json(res)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(store.keys).toEqual([]);
    });

    it('refuses a gateway-decoded path parameter that climbs out', async () => {
      const e = { ...event('GET', `/runs/${LATEST_RUN}/model`), pathParameters: { proxy: `runs/../../secret` } };
      const res = await handler(e, {} as never);
      expect(res.statusCode).toBe(400);
      expect(store.keys).toEqual([]);
    });

    it('answers 404 for a run file that is a symlink to outside the root', async () => {
      // Given a model.json that links to a file outside the results root
      await writeFile(path.join(root, 'secret.json'), '{"secret": "TOP-SECRET"}');
      const model = path.join(root, 'results', 'runs', OLD_RUN, 'model.json');
      await rm(model);
      await symlink(path.join(root, 'secret.json'), model);
      // When it is fetched
      const res = await call('GET', `/runs/${OLD_RUN}/model`);
      // Then nothing of the target is served
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('TOP-SECRET');
    });
  });

  describe('POST /runs', () => {
    const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
      call('POST', '/runs', { body, headers });

    it('starts a run, records it as pending and answers 202 with its status URL', async () => {
      // When a run is requested
      const res = await post(JSON.stringify({ inputs: ['logs/a.log', 'logs/b.log'] }));
      // Then the starter got the inputs under a fresh run id and the client got the status URL
      expect(res.statusCode).toBe(202);
      expect(json(res)).toEqual({ runId: '20261128T123045Z-0f0f0f', status: 'pending', statusUrl: '/runs/20261128T123045Z-0f0f0f' });
      expect(res.headers['Location']).toBe('/runs/20261128T123045Z-0f0f0f');
      expect(started).toEqual([{ inputs: ['logs/a.log', 'logs/b.log'], runId: '20261128T123045Z-0f0f0f' }]);
      // And the status URL answers before the pipeline has written a manifest
      const status = await call('GET', '/runs/20261128T123045Z-0f0f0f');
      expect(status.statusCode).toBe(200);
      expect(json(status)).toMatchObject({ status: 'pending', requestedAt: NOW.toISOString() });
      const list = json(await call('GET', '/runs', { query: { limit: '1' } })) as { runs: { runId: string; status: string }[] };
      expect(list.runs[0]).toMatchObject({ runId: '20261128T123045Z-0f0f0f', status: 'pending' });
    });

    it('passes reading options to the starter as given, and records them with the request', async () => {
      // When a run is requested on nginx logs in their server's layout, with a shorter session gap
      const options = { logFormat: 'main', sessionGap: '15m' };
      const res = await post(JSON.stringify({ inputs: ['logs/nginx/'], options }));
      // Then the starter is told how to read them, and the pending run says what was asked
      expect(res.statusCode).toBe(202);
      expect(started).toEqual([{ inputs: ['logs/nginx/'], runId: '20261128T123045Z-0f0f0f', reading: options }]);
      expect(json(await call('GET', '/runs/20261128T123045Z-0f0f0f'))).toMatchObject({ status: 'pending', options });
    });

    it('takes a layout whose fields are separated by tabs, and refuses other control characters', async () => {
      const tabbed = { logFormat: 'time:$time_local\treq:$request\tstatus:$status' };
      expect((await post(JSON.stringify({ inputs: ['logs/'], options: tabbed }))).statusCode).toBe(202);
      const res = await post(JSON.stringify({ inputs: ['logs/'], options: { logFormat: '$time_local "$request" $status\n' } }));
      expect(res.statusCode).toBe(400);
      expect((json(res) as { error: { code: string } }).error.code).toBe('invalid_options');
      expect(started).toHaveLength(1);
    });

    it.each([
      ['{"format": "syslog"}', /^options: --format syslog is not a known format; use auto\|alb\|/],
      ['{"sessionGap": "soon"}', /^options: --session-gap soon is not a duration/],
      ['{"logFormat": "%h \\"%r\\" %b"}', /^options: --log-format lacks a time .* and a status/],
      ['{"format": "alb", "logFormat": "main"}', /^options: --log-format describes nginx\/Apache logs; it cannot be used with --format alb/],
      ['{"columns": "when=ts"}', /^options: --columns: "when=ts" is not canonical=name/],
      ['{"gap": "15m"}', /^Unknown option\(s\) "gap"; "options" takes format, sessionGap, sessionCookie, columns, logFormat/],
      ['{"sessionGap": 900}', /^"options" takes .*, each a string/],
      ['{"sessionCookie": ""}', /^"options" takes .*: non-empty/],
      ['["main"]', /^"options" takes format, sessionGap/],
    ])('refuses options %s with 400 invalid_options, saying which, and starts nothing', async (options, message) => {
      const res = await post(`{"inputs": ["logs/"], "options": ${options}}`);
      expect(res.statusCode).toBe(400);
      const { error } = json(res) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_options');
      expect(error.message).toMatch(message);
      expect(started).toEqual([]);
    });

    it('puts the API Gateway stage in front of the status URL', async () => {
      const e = { ...event('POST', '/runs', { body: '{"inputs":["x"]}' }), requestContext: { path: '/prod/runs', stage: 'prod' } };
      const res = await handler(e, {} as never);
      expect((json(res) as { statusUrl: string }).statusUrl).toBe('/prod/runs/20261128T123045Z-0f0f0f');
    });

    const tooMany = JSON.stringify({ inputs: Array.from({ length: 101 }, (_, i) => `f${i}`) });
    it.each([
      ['not json', 'invalid_json'],
      ['[]', 'invalid_body'],
      ['{"input": ["x"]}', 'invalid_body'],
      ['{"inputs": []}', 'invalid_inputs'],
      ['{"inputs": "logs/"}', 'invalid_inputs'],
      ['{"inputs": [""]}', 'invalid_inputs'],
      ['{"inputs": [42]}', 'invalid_inputs'],
      ['{"inputs": ["a\\u0000b"]}', 'invalid_inputs'],
      ['<101 inputs>', 'invalid_inputs'],
    ])('refuses body %s with 400 %s and starts nothing', async (label, code) => {
      const body = label === '<101 inputs>' ? tooMany : label;
      const res = await post(body);
      expect(res.statusCode).toBe(400);
      expect((json(res) as { error: { code: string } }).error.code).toBe(code);
      expect(started).toEqual([]);
    });

    it('refuses a non-JSON content type with 415 and an oversized body with 413', async () => {
      expect((await post('{"inputs":["x"]}', { 'Content-Type': 'text/plain' })).statusCode).toBe(415);
      expect((await post(JSON.stringify({ inputs: ['x'.repeat(70_000)] }))).statusCode).toBe(413);
      expect(started).toEqual([]);
    });

    it('passes the starter’s refusal on as 400 and marks the request rejected, out of the listing', async () => {
      startImpl = async () => {
        throw new RunRejectedError('input "/nope" does not exist on the server');
      };
      const res = await post('{"inputs":["/nope"]}');
      expect(res.statusCode).toBe(400);
      expect(json(res)).toEqual({ error: { code: 'invalid_inputs', message: 'input "/nope" does not exist on the server' } });
      const list = json(await call('GET', '/runs')) as { runs: { runId: string }[] };
      expect(list.runs.map((r) => r.runId)).toEqual(ALL_RUNS_NEWEST_FIRST);
    });

    it('passes the starter’s refusal of the options on as 400 invalid_options', async () => {
      startImpl = async () => {
        throw new RunRejectedError('"options" (logFormat) apply to local runs', 'invalid_options');
      };
      const res = await post('{"inputs":["drops/"],"options":{"logFormat":"main"}}');
      expect(res.statusCode).toBe(400);
      expect(json(res)).toEqual({ error: { code: 'invalid_options', message: '"options" (logFormat) apply to local runs' } });
    });

    it('answers 429 with Retry-After when the starter is busy', async () => {
      startImpl = async () => {
        throw new RunsBusyError('2 runs are in progress', 30);
      };
      const res = await post('{"inputs":["x"]}');
      expect(res.statusCode).toBe(429);
      expect(res.headers['Retry-After']).toBe('30');
    });
  });
});
