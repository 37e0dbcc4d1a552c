import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeScenarios } from '../../../lib/core/scenarios/write-scenarios';
import { startDemoTarget, type DemoTarget } from '../../../lib/demo-target/server';
import { runTool } from './run-tools';
import { fixtureModel, jsd, receivedMix, simulatedMix, writeRatio } from './support';

const ARTILLERY = join(__dirname, '../../../node_modules/.bin/artillery');

describe('generated Artillery scenario, run by Artillery against the demo target', () => {
  let dir: string;
  let target: DemoTarget;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lp-artillery-'));
    target = await startDemoTarget({ model: fixtureModel(), logFile: join(dir, 'access.log') });
  });
  afterEach(async () => {
    await target.close();
  });

  it('sends production’s page mix and write ratio, with the processor written alongside', async () => {
    // Given the scenario files written for a 10 s test at 200x, every write allowed. Writes come in
    // whole buyer sessions, so the write ratio's spread depends on the sessions run: at 100x it
    // spread by 0.01-0.03 from run to run (and once crossed the tolerance), at 200x by under 0.005.
    const model = fixtureModel();
    const { files } = await writeScenarios({ model, options: { tools: ['artillery'], durationSeconds: 10, scale: 200, allowWrites: '.*' } });
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    expect(files.map((f) => f.path).sort()).toEqual(['scenarios/artillery/processor.js', 'scenarios/artillery/scenario.yml']);

    // When Artillery runs it with THINK_SCALE small
    const run = await runTool(ARTILLERY, ['run', 'scenario.yml'], {
      cwd: join(dir, 'scenarios/artillery'),
      env: { BASE_URL: target.url, THINK_SCALE: '0.05', ARTILLERY_DISABLE_TELEMETRY: 'true' },
      timeoutMs: 45_000,
    });

    // Then every session completed and the target saw production's mix
    expect(run.output).toContain('vusers.failed: ');
    expect(run.output).toMatch(/vusers\.failed: \.+ 0\b/);
    expect(run.code).toBe(0);
    const expected = simulatedMix(model);
    const got = receivedMix(model, target.requests());
    expect(target.requests().length).toBeGreaterThan(500);
    expect(jsd(expected, got)).toBeLessThan(0.05);
    expect(Math.abs(writeRatio(expected) - writeRatio(got))).toBeLessThan(0.03);
  }, 60_000);

  it('refuses a production host, exiting non-zero before any request', async () => {
    // Given scenarios from a model whose production logs named "localhost"
    const model = { ...fixtureModel(), productionHosts: ['localhost'] };
    const { files } = await writeScenarios({ model, options: { tools: ['artillery'], durationSeconds: 2, scale: 100 } });
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    // When Artillery is pointed at that host
    const run = await runTool(ARTILLERY, ['run', 'scenario.yml'], {
      cwd: join(dir, 'scenarios/artillery'),
      env: { BASE_URL: `http://localhost:${target.port}`, ARTILLERY_DISABLE_TELEMETRY: 'true' },
      timeoutMs: 30_000,
    });
    // Then it exits non-zero saying why, having sent nothing
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.output).toContain(`refusing to load-test http://localhost:${target.port}: it is a production host`);
    expect(target.requests()).toHaveLength(0);
  }, 40_000);
});
