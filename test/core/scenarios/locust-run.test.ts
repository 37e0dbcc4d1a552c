import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileLocust } from '../../../lib/core/scenarios/compile-locust';
import { startDemoTarget, type DemoTarget } from '../../../lib/demo-target/server';
import { runTool } from './run-tools';
import { fixtureModel, jsd, receivedMix, simulatedMix, writeRatio } from './support';

const LOCUST = '/usr/bin/locust';

describe('generated locustfile, run by Locust against the demo target', () => {
  let dir: string;
  let target: DemoTarget;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lp-locust-'));
    target = await startDemoTarget({ model: fixtureModel(), logFile: join(dir, 'access.log') });
  });
  afterEach(async () => {
    await target.close();
  });

  it('sends production’s page mix and write ratio', async () => {
    // Given the fixture model compiled for a 15 s test at 200x, every write allowed (at 100x the write
    // ratio spread by up to 0.02 from run to run, near the tolerance; at 200x by under 0.005)
    const model = fixtureModel();
    writeFileSync(join(dir, 'locustfile.py'), compileLocust(model, { durationSeconds: 15, scale: 200, allowWrites: '.*' }));

    // When Locust runs it headless (the shape class drives users and ends the test)
    const run = await runTool(LOCUST, ['--headless', '-f', 'locustfile.py', '--host', target.url, '--only-summary'], {
      cwd: dir,
      env: { THINK_SCALE: '0.1' },
      timeoutMs: 40_000,
    });

    // Then it exits cleanly and the target saw production's mix
    expect(run.code).toBe(0);
    const expected = simulatedMix(model);
    const got = receivedMix(model, target.requests());
    expect(target.requests().length).toBeGreaterThan(500);
    expect(jsd(expected, got)).toBeLessThan(0.05);
    expect(Math.abs(writeRatio(expected) - writeRatio(got))).toBeLessThan(0.03);
  }, 60_000);

  it('refuses a production host unless ALLOW_PRODUCTION=1', async () => {
    // Given a model whose production logs named "localhost", compiled for a 2 s test
    const model = { ...fixtureModel(), productionHosts: ['shop.example.com', 'LOCALHOST'] };
    writeFileSync(join(dir, 'locustfile.py'), compileLocust(model, { durationSeconds: 2, scale: 100 }));
    const host = `http://localhost:${target.port}`;

    // When Locust is pointed at that host
    const refused = await runTool(LOCUST, ['--headless', '-f', 'locustfile.py', '--host', host], { cwd: dir, env: {}, timeoutMs: 30_000 });

    // Then it exits non-zero saying why, having sent nothing
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`refusing to load-test ${host}: it is a production host`);
    expect(target.requests()).toHaveLength(0);

    // And with ALLOW_PRODUCTION=1 the same host is load-tested
    const allowed = await runTool(LOCUST, ['--headless', '-f', 'locustfile.py', '--host', host], {
      cwd: dir,
      env: { ALLOW_PRODUCTION: '1', THINK_SCALE: '0.1' },
      timeoutMs: 30_000,
    });
    expect(allowed.code).toBe(0);
    expect(target.requests().length).toBeGreaterThan(0);
  }, 60_000);
});
