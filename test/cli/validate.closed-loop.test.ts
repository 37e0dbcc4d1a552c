/**
 * `loadprint validate` end to end: a run folder made by the built CLI from simulated production logs,
 * its Locust scenario run for real against the bundled demo target, the captured log profiled and
 * compared with production; then the same with a model whose people think three times longer.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TrafficModel } from '../../lib/core/types';
import type { ClosedLoopReport } from '../../lib/core/validation/closed-loop';
import { CLOSED_LOOP_FILE, validateClosedLoop } from '../../bin/cli/validate';
import { runCli } from '../helpers/cli';

jest.setTimeout(180_000);

/**
 * Think times are scaled back up by 1/THINK_SCALE when compared, and so is any scheduling delay of a
 * busy machine, so this suite runs on its own after the others (`npm test` runs it last, in band):
 * a minute at a tenth of production's think times captures a few hundred whole sessions.
 */
const TEST_SECONDS = 60;
const THINK_SCALE = 0.1;

describe('loadprint validate (closed loop with Locust against the demo target)', () => {
  let base: string;
  let runDir: string;

  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'lp-validate-'));
    runDir = path.join(base, 'run');
    // Given a week of production traffic (the demo world) profiled into a run folder by the CLI
    const sim = await runCli(['simulate', '--demo', '--out', path.join(base, 'prod'), '--sessions', '4000', '--seed', '2', '--format', 'combined']);
    expect(sim.code).toBe(0);
    // with a file beside the logs that is not one: skipped by the run, so not among the inputs validate re-reads
    await writeFile(path.join(base, 'prod', 'logs', 'rotation-notes.txt'), 'rotated by hand on Monday\nkeep a week\n');
    const run = await runCli(['run', path.join(base, 'prod', 'logs'), '--out', runDir, '--tools', 'locust']);
    expect(run.code).toBe(0);
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('passes every assessed figure when the scenario is the run own, and says which figures a short run cannot judge', async () => {
    // When the run's Locust scenario is run against the demo target and profiled
    const report = await validateClosedLoop({ runDir, tool: 'locust', durationSeconds: TEST_SECONDS, thinkScale: THINK_SCALE, scale: 'auto' });

    // Then the captured traffic matches production on every figure it can measure
    const failed = report.checks.filter((c) => !c.pass).map((c) => `${c.figure}: ${c.says}`);
    expect(failed).toEqual([]);
    expect(report.checks.map((c) => c.figure).sort()).toEqual(
      ['endpoint_mix', 'error_rate', 'persona_mix', 'requests_per_session', 'think_time', 'write_ratio'],
    );
    expect(report.run.capturedSessions).toBeGreaterThan(200);
    expect(report.run.untaggedSessions).toBe(0);
    // And the compressed curve's stages are too short to judge arrivals: said, not passed
    expect(report.notAssessed.filter((n) => n.scope === 'all').map((n) => n.figure).sort()).toEqual(['arrival_shape', 'peak_rps']);
    expect(report.notAssessed.find((n) => n.figure === 'arrival_shape')?.says).toMatch(/--duration of at least \d+s/);
    // And the report is in the run folder, as written
    const written = JSON.parse(await readFile(path.join(runDir, CLOSED_LOOP_FILE), 'utf8')) as ClosedLoopReport;
    expect(written.kind).toBe('closed-loop');
    expect(written.pass).toBe(true);
  });

  it('fails on think times when the model makes people think three times longer, and not on the mix or rates', async () => {
    // Given the run's model.json with every human persona's think times multiplied by 3
    const wrongDir = path.join(base, 'wrong');
    await runCli(['run', path.join(base, 'prod', 'logs'), '--out', wrongDir, '--tools', 'locust']);
    const modelFile = path.join(wrongDir, 'model.json');
    const model = JSON.parse(await readFile(modelFile, 'utf8')) as TrafficModel;
    const people = model.personas.filter((p) => !p.isBot && p.name !== 'api_consumer');
    expect(people.length).toBeGreaterThan(0);
    const slower = <T extends { mean: number; p10: number; p50: number; p90: number; p99: number; quantiles: number[] }>(d: T): T => ({
      ...d, mean: d.mean * 3, p10: d.p10 * 3, p50: d.p50 * 3, p90: d.p90 * 3, p99: d.p99 * 3, quantiles: d.quantiles.map((q) => q * 3),
    });
    for (const persona of people) {
      persona.thinkTime = slower(persona.thinkTime);
      for (const s of persona.states) if (s.thinkTime) s.thinkTime = slower(s.thinkTime);
    }
    await writeFile(modelFile, JSON.stringify(model));

    // When validate recompiles the Locust scenario from it and runs the loop
    const out = path.join(base, 'wrong-report.json');
    const report = await validateClosedLoop({ runDir: wrongDir, tool: 'locust', durationSeconds: TEST_SECONDS, thinkScale: THINK_SCALE, scale: 'auto', out });

    // Then the verdict fails on think times, while the figures think times cannot move still pass
    // (the persona mix may move too: slower sessions finish less often inside a short test)
    expect(report.pass).toBe(false);
    const failed = report.checks.filter((c) => !c.pass).map((c) => c.figure);
    expect(failed).toContain('think_time');
    for (const figure of ['endpoint_mix', 'write_ratio', 'error_rate']) expect(failed).not.toContain(figure);
    const think = report.checks.find((c) => c.figure === 'think_time')!;
    expect(think.synthetic!).toBeGreaterThan(think.production!);
  });
});
