import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerTarget, startTarget } from '../../bin/cli/target';
import { startDemoTarget } from '../../lib/demo-target/server';
import type { TrafficModel } from '../../lib/core/types';

const model = (): TrafficModel =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/scenarios/model.json'), 'utf8')) as TrafficModel;
const tmp = () => mkdtempSync(join(tmpdir(), 'lp-target-'));

/** nginx combined + $request_time. */
const COMBINED = /^(\S+) - - \[(\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000)\] "([^"]*)" (\d{3}) (\d+) "([^"]*)" "([^"]*)" (\d+\.\d{3})$/;

describe('demo target', () => {
  it("answers the model's routes, 404s the rest, and logs each request in nginx combined format", async () => {
    // Given a target serving the fixture model
    const dir = tmp();
    const target = await startDemoTarget({ model: model(), logFile: join(dir, 'access.log') });
    try {
      // When pages, an asset, a write and an unknown path are requested
      const page = await fetch(`${target.url}/p/1001`, { headers: { 'user-agent': 'agent "quoted"' } });
      const search = await fetch(`${target.url}/search?q=red%20shoes`);
      const asset = await fetch(`${target.url}/img/p/1001.jpg`);
      const write = await fetch(`${target.url}/cart/items`, { method: 'POST', body: '{"sku":"1"}' });
      const wrongMethod = await fetch(`${target.url}/cart/items`);
      const unknown = await fetch(`${target.url}/admin`);
      // Then routes answer with fitting bodies and the rest is 404
      expect([page.status, search.status, asset.status, write.status, wrongMethod.status, unknown.status]).toEqual([200, 200, 200, 201, 404, 404]);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(asset.headers.get('content-type')).toBe('image/jpeg');
      expect(await write.json()).toMatchObject({ ok: true, method: 'POST' });
      expect(target.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'GET /p/1001 200', 'GET /search 200', 'GET /img/p/1001.jpg 200', 'POST /cart/items 201', 'GET /cart/items 404', 'GET /admin 404',
      ]);
    } finally {
      await target.close();
    }
    const lines = readFileSync(join(dir, 'access.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const l of lines) expect(l).toMatch(COMBINED);
    const first = COMBINED.exec(lines[0]!)!;
    expect(first[1]).toBe('127.0.0.1');
    expect(first[3]).toBe('GET /p/1001 HTTP/1.1');
    expect(first[7]).toBe('agent \\x22quoted\\x22');
    expect(COMBINED.exec(lines[1]!)![3]).toBe('GET /search?q=red%20shoes HTTP/1.1');
  });

  it('answers any path without a model, and adds the configured latency', async () => {
    const target = await startDemoTarget({ logFile: join(tmp(), 'access.log'), latencyMs: 120 });
    try {
      const started = Date.now();
      const res = await fetch(`${target.url}/anything/at/all`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await target.close();
    }
  });

  it('keeps an idle keep-alive connection open past 5 s, so a load tool can reuse it', async () => {
    // A pooled connection that the server closes just as a request goes out fails that request.
    const target = await startDemoTarget({ logFile: join(tmp(), 'access.log') });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number | undefined; reused: boolean }>((resolve, reject) => {
        const req = request(`${target.url}/page`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // past Node's default keepAliveTimeout
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
      await target.close();
    }
  }, 20_000);
});

describe('loadprint target', () => {
  it('registers the command with its flags', () => {
    const program = new Command('loadprint');
    registerTarget(program);
    const cmd = program.commands.find((c) => c.name() === 'target')!;
    expect(cmd.options.map((o) => o.long)).toEqual(['--model', '--port', '--log', '--latency', '--model-latency']);
  });

  it('starts on the given model and says clearly what is wrong with bad flags', async () => {
    const dir = tmp();
    const target = await startTarget({ model: join(__dirname, '../fixtures/scenarios/model.json'), port: '0', log: join(dir, 'a.log'), latency: '0' });
    try {
      expect((await fetch(`${target.url}/c/shoes`)).status).toBe(200);
      await expect(startTarget({ port: String(target.port), log: join(dir, 'b.log'), latency: '0' })).rejects.toThrow(`port ${target.port} is already in use`);
    } finally {
      await target.close();
    }
    await expect(startTarget({ port: '99999', log: 'x', latency: '0' })).rejects.toThrow('--port must be 0..65535');
    await expect(startTarget({ model: join(dir, 'missing.json'), port: '0', log: 'x', latency: '0' })).rejects.toThrow(/cannot read .*missing\.json/);
    await expect(startTarget({ port: '0', log: join(dir, 'no/such/dir/a.log'), latency: '0' })).rejects.toThrow(/cannot write the access log/);
  });
});
