import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../bin/cli/serve';
import { memoryLogger, TRAVERSAL_PATHS } from '../core/api/api-test-kit';
import { FAILED_RUN, LATEST_RUN, OLD_RUN, RUNNING_RUN, writeResultsRoot } from '../core/api/results-root-fixture';
import { eventually, raw } from './http-kit';

const REPO = path.join(__dirname, '..', '..');
const FAKE_CLI = path.join(__dirname, 'fixtures', 'fake-loadprint.js');

describe('loadprint serve (HTTP server over a results folder)', () => {
  let base: string;
  let root: string;
  let logs: string;
  let server: RunningServer;
  const logger = memoryLogger();

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'lp-serve-'));
    root = path.join(base, 'results');
    logs = path.join(base, 'logs');
    await writeResultsRoot(root);
    await mkdir(logs);
    await writeFile(path.join(logs, 'access.log'), '127.0.0.1 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12\n');
    await writeFile(path.join(base, 'secret.txt'), 'TOP-SECRET');
    await rm(path.join(root, 'runs', OLD_RUN, 'report.html'));
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'runs', OLD_RUN, 'report.html'));
    // Given a server on an ephemeral loopback port whose runs are the stand-in CLI
    server = await startServer({ dir: root, port: 0, host: '127.0.0.1', cliEntry: FAKE_CLI, inputsRoots: [logs], logger });
  });
  afterAll(async () => {
    await server.close({ stopRuns: true });
    await rm(base, { recursive: true, force: true });
  });

  it.each([
    ['/runs', 'application/json'],
    ['/openapi.json', 'application/json'],
    [`/runs/${LATEST_RUN}`, 'application/json'],
    [`/runs/${LATEST_RUN}/model`, 'application/json'],
    [`/runs/${LATEST_RUN}/personas`, 'application/json'],
    [`/runs/${LATEST_RUN}/validation`, 'application/json'],
    [`/runs/${LATEST_RUN}/report`, 'text/html'],
    [`/runs/${LATEST_RUN}/scenarios/k6`, 'application/javascript'],
    [`/runs/${LATEST_RUN}/scenarios/locust`, 'text/x-python'],
    [`/runs/${LATEST_RUN}/scenarios/artillery`, 'application/yaml'],
    [`/runs/${LATEST_RUN}/scenarios/artillery/processor.js`, 'application/javascript'],
    ['/runs/latest/model', 'application/json'],
    ['/runs/latest/scenarios/k6', 'application/javascript'],
  ])('GET %s answers 200 %s over HTTP with an ETag that yields 304', async (p, type) => {
    // When the route is fetched, then fetched again with its ETag
    const res = await raw(server.url, 'GET', p);
    const again = await raw(server.url, 'GET', p, { headers: { 'If-None-Match': String(res.headers['etag']) } });
    // Then the first is a typed 200 of the right length and the second an empty 304
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(new RegExp(`^${type}`));
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('pages GET /runs over HTTP', async () => {
    const res = await raw(server.url, 'GET', '/runs?limit=3');
    const page = JSON.parse(res.body) as { runs: { runId: string }[]; nextCursor: string };
    expect(page.runs.map((r) => r.runId).slice(0, 3)).toContain(RUNNING_RUN);
    const next = await raw(server.url, 'GET', `/runs?limit=3&cursor=${page.nextCursor}`);
    expect((JSON.parse(next.body) as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toContain(OLD_RUN);
  });

  it.each([
    ['GET', '/runs/nope-20000101/model', 404, 'run_not_found'],
    ['GET', `/runs/${FAILED_RUN}/model`, 404, 'file_not_found'],
    ['GET', `/runs/${LATEST_RUN}/scenarios/gatling`, 404, 'unknown_tool'],
    ['GET', '/runs/_bad', 400, 'invalid_run_id'],
    ['GET', '/runs?limit=1000', 400, 'invalid_limit'],
    ['GET', '/admin', 404, 'route_not_found'],
    ['PUT', `/runs/${LATEST_RUN}`, 405, 'method_not_allowed'],
    ['GET', `/runs/${OLD_RUN}/report`, 404, 'not_found'],
  ])('%s %s answers %i %s as a JSON error', async (method, p, status, code) => {
    const res = await raw(server.url, method, p);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.body).not.toContain('TOP-SECRET');
  });

  it.each(TRAVERSAL_PATHS)('refuses the raw path %s and reveals nothing outside the root', async (p) => {
    const res = await raw(server.url, 'GET', p);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('TOP-SECRET');
    expect(JSON.parse(res.body)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('refuses an oversized POST body with 413 before the handler reads it', async () => {
    const res = await raw(server.url, 'POST', '/runs', { headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(70_000, 0x20) });
    expect(res.status).toBe(413);
  });

  it('starts a run with POST /runs, reports it through the status URL, and moves latest when it succeeds', async () => {
    // When a run is requested on a log file in the allowed folder
    const res = await raw(server.url, 'POST', '/runs', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [path.join(logs, 'access.log')] }),
    });
    expect(res.status).toBe(202);
    const { runId, statusUrl } = JSON.parse(res.body) as { runId: string; statusUrl: string };
    expect(res.headers['location']).toBe(statusUrl);
    // Then the status URL ends at succeeded, and latest now names the new run
    const manifest = await eventually(async () => {
      const res = await raw(server.url, 'GET', statusUrl);
      // Seen once under a loaded full suite: an empty body. Say what came back if it happens again.
      if (res.status !== 200 || res.body === '') throw new Error(`GET ${statusUrl}: ${res.status} ${JSON.stringify(res.headers)} ${JSON.stringify(res.body)}`);
      const status = JSON.parse(res.body) as { status: string };
      return status.status === 'succeeded' ? status : undefined;
    });
    expect(manifest).toMatchObject({ runId, status: 'succeeded' });
    await eventually(async () => ((await raw(server.url, 'GET', '/runs/latest')).headers['loadprint-run-id'] === runId ? true : undefined));
    expect((await raw(server.url, 'GET', '/runs/latest/scenarios/k6')).body).toContain(`run ${runId}`);
  });

  it('refuses POST /runs inputs outside --inputs-root with 400 and records no run', async () => {
    const res = await raw(server.url, 'POST', '/runs', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [path.join(base, 'secret.txt')] }),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'invalid_inputs' } });
  });

  it('says what to fix when the results root is missing or the port is taken', async () => {
    await expect(startServer({ dir: path.join(base, 'nope'), port: 0, logger })).rejects.toThrow(/is not a folder/);
    await expect(startServer({ dir: root, port: server.port, host: '127.0.0.1', logger })).rejects.toThrow(/pass another --port/);
  });
});

/**
 * Bundles a CLI that registers `serve` exactly as bin/cli/index.ts will (dependencies bundled in,
 * so it runs from a temp folder), until the lead registers the command in the real CLI.
 */
/** The real CLI (built by jest's global setup): `serve` is registered in bin/cli/index.ts. */
async function buildServeCli(_base: string): Promise<string> {
  return path.join(REPO, 'bin', 'loadprint.js');
}

describe('serve as a command of the built CLI', () => {
  it('listens where told, serves the root and stops on SIGTERM', async () => {
    // Given the loadprint CLI
    const base = await mkdtemp(path.join(tmpdir(), 'lp-serve-cli-'));
    try {
      await writeResultsRoot(path.join(base, 'results'));
      const bundle = await buildServeCli(base);
      // When `loadprint serve --dir <root> --port 0` runs
      const child = spawn(process.execPath, [bundle, 'serve', '--dir', path.join(base, 'results'), '--port', '0'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const url = await eventually(async () => /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]);
      // Then it serves the results root over HTTP, and exits cleanly on SIGTERM
      const res = await raw(url, 'GET', '/runs/latest/scenarios/locust');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/x-python/);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(stderr).toContain('GET /runs/latest/scenarios/locust 200');
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('exits non-zero with one line when --dir is missing', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'lp-serve-cli-'));
    try {
      const bundle = await buildServeCli(base);
      const child = spawn(process.execPath, [bundle, 'serve', '--dir', path.join(base, 'missing')], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).not.toBe(0);
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^loadprint: results root .*missing is not a folder/)]);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('loadprint serve with the real `loadprint run`', () => {
  it('reads logs as POST /runs "options" say: nginx\'s main layout, the client behind the proxy', async () => {
    // Given a server whose runs are the built CLI, and nginx logs in the layout nginx.org ships ("main")
    const base = await mkdtemp(path.join(tmpdir(), 'lp-serve-real-'));
    const logs = path.join(base, 'logs');
    await mkdir(logs);
    const lines = Array.from({ length: 20 }, (_, i) =>
      `10.0.0.1 - - [27/Nov/2026:10:${String(i).padStart(2, '0')}:00 +0000] "GET /p/${i} HTTP/1.1" 200 512 "-" "Mozilla/5.0" "198.51.100.${i % 4}"\n`,
    ).join('');
    await writeFile(path.join(logs, 'access.log'), lines);
    await mkdir(path.join(base, 'results'));
    const server = await startServer({ dir: path.join(base, 'results'), port: 0, host: '127.0.0.1', cliEntry: path.join(REPO, 'bin', 'loadprint.js'), inputsRoots: [logs], logger: memoryLogger() });
    try {
      // When a run is requested with the layout's name
      const res = await raw(server.url, 'POST', '/runs', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ inputs: [logs], options: { logFormat: 'main' } }),
      });
      expect(res.status).toBe(202);
      const { statusUrl } = JSON.parse(res.body) as { statusUrl: string };
      // Then the run read every line with it: four clients behind the proxy, not one
      const manifest = await eventually(async () => {
        const m = JSON.parse((await raw(server.url, 'GET', statusUrl)).body) as { status: string; options: { logFormat?: string }; lines: { parsed: number }; sessions: number };
        return m.status === 'succeeded' || m.status === 'failed' ? m : undefined;
      }, 60_000);
      expect(manifest).toMatchObject({ status: 'succeeded', options: { logFormat: 'main' }, lines: { parsed: 20 }, sessions: 4 });
    } finally {
      await server.close({ stopRuns: true });
      await rm(base, { recursive: true, force: true });
    }
  });
});
