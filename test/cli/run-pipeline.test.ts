/**
 * The whole local pipeline as `npm start` runs it: the bundled sample logs in, a complete run folder
 * out (shared/DESIGN.md), and a second run next to it compared with the first (drift).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULTS } from '../../lib/core/config';
import { checkModelInvariants, validateModelSchema } from '../../lib/core/model/validate-model-schema';
import type { DriftReport, Manifest, PersonasFile, TrafficModel, ValidationReport } from '../../lib/core/types';
import { csvRows, REPO, runCli } from '../helpers/cli';

const json = <T>(dir: string, file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;

describe('loadprint run on the bundled sample logs', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lp-pipeline-'));
  const first = path.join(root, 'first');
  const second = path.join(root, 'second');

  beforeAll(async () => {
    const r = await runCli(['run', path.join(REPO, 'examples', 'alb'), '--out', first]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
  }, 120_000);

  test('writes every file of the run folder contract', () => {
    for (const f of [
      'manifest.json', 'sessions.csv', 'personas.json', 'model.json', 'validation.json', 'report.html',
      'scenarios/k6/script.js', 'scenarios/locust/locustfile.py', 'scenarios/artillery/scenario.yml',
    ]) {
      expect({ f, exists: existsSync(path.join(first, f)) }).toEqual({ f, exists: true });
    }
  });

  test('every session has a persona named in personas.json, and the model is schema-valid', () => {
    const personas = json<PersonasFile>(first, 'personas.json');
    const names = new Set(personas.personas.map((p) => p.name));
    const sessions = csvRows(readFileSync(path.join(first, 'sessions.csv'), 'utf8'));
    expect(sessions.every((s) => names.has(s['persona']!))).toBe(true);
    const model = json<TrafficModel>(first, 'model.json');
    expect(validateModelSchema(model)).toEqual({ ok: true });
    expect(checkModelInvariants(model)).toEqual([]);
    expect(model.personas.map((p) => p.name).sort()).toEqual([...names].sort());
  });

  test('the manifest times every step and records the scenarios it wrote', () => {
    const m = json<Manifest>(first, 'manifest.json');
    expect(m.status).toBe('succeeded');
    expect(m.timings.map((t) => t.step)).toEqual(
      expect.arrayContaining(['ingest', 'sessions', 'personas', 'model', 'scenarios', 'validation', 'report']),
    );
    expect(m.scenarios?.map((s) => s.tool).sort()).toEqual(['artillery', 'k6', 'locust']);
  });

  test('--version prints the version the manifest records, for bug reports to quote', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.stdout.trim()).toBe(json<Manifest>(first, 'manifest.json').versions['loadprint']);
  });

  test('validation.json holds every model-vs-production figure with a verdict', () => {
    const v = json<ValidationReport>(first, 'validation.json');
    expect(v.kind).toBe('model');
    const figures = new Set(v.checks.filter((c) => c.scope === 'all').map((c) => c.figure));
    for (const f of ['endpoint_mix', 'requests_per_session', 'think_time', 'arrival_shape', 'error_rate', 'write_ratio', 'peak_rps']) {
      expect(figures.has(f)).toBe(true);
    }
    expect(v.pass).toBe(v.checks.every((c) => c.pass));
  });

  test('the report is one self-contained page that names the personas and no client IP', () => {
    const html = readFileSync(path.join(first, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
    for (const p of json<PersonasFile>(first, 'personas.json').personas) expect(html).toContain(p.name);
    const ips = new Set(csvRows(readFileSync(path.join(first, 'sessions.csv'), 'utf8')).map((s) => s['client_ip']!));
    for (const ip of [...ips].slice(0, 50)) expect(html).not.toContain(ip);
  });

  test('a second run next to the first is compared with it (drift)', async () => {
    const r = await runCli(['run', path.join(REPO, 'examples', 'alb'), '--out', second]);
    expect(r.code).toBe(0);
    const m = json<Manifest>(second, 'manifest.json');
    expect(m.previousRunId).toBe(json<Manifest>(first, 'manifest.json').runId);
    const drift = json<DriftReport>(second, 'drift.json');
    expect(drift.verdict).toBe('keep'); // same logs, same traffic
  }, 120_000);

  test('drift compares with the last run of the same service, not with any run next to it', async () => {
    const runs = mkdtempSync(path.join(os.tmpdir(), 'lp-siblings-'));
    const shop = path.join(runs, 'shop-monday');
    const other = path.join(runs, 'blog-tuesday');
    const again = path.join(runs, 'shop-wednesday');
    expect((await runCli(['run', path.join(REPO, 'examples', 'alb'), '--out', shop])).code).toBe(0);
    // Another service (its logs are another format), run after the shop: no drift against the shop.
    expect((await runCli(['run', path.join(REPO, 'examples', 'combined'), '--out', other])).code).toBe(0);
    expect(json<Manifest>(other, 'manifest.json').previousRunId).toBeUndefined();
    expect(existsSync(path.join(other, 'drift.json'))).toBe(false);
    // The shop again: its previous run is the shop's, though the other service's is newer.
    expect((await runCli(['run', path.join(REPO, 'examples', 'alb'), '--out', again])).code).toBe(0);
    expect(json<Manifest>(again, 'manifest.json').previousRunId).toBe(json<Manifest>(shop, 'manifest.json').runId);
    expect(json<DriftReport>(again, 'drift.json').verdict).toBe('keep');
  }, 120_000);

  test('--model-sessions caps the sessions each persona\'s statistics read; sizes still count all', async () => {
    const capped = path.join(root, 'capped');
    const r = await runCli(['run', path.join(REPO, 'examples', 'alb'), '--out', capped, '--model-sessions', '150']);
    expect(r.code).toBe(0);
    const full = json<TrafficModel>(first, 'model.json');
    const part = json<TrafficModel>(capped, 'model.json');
    expect(part.personas.map((p) => [p.name, p.sessions])).toEqual(full.personas.map((p) => [p.name, p.sessions]));
    expect(full.personas.every((p) => p.sampledSessions === p.sessions)).toBe(true);
    expect(part.personas.map((p) => p.sampledSessions)).toEqual(part.personas.map((p) => Math.min(150, p.sessions)));
    expect(part.personas.filter((p) => p.sessions > 150).length).toBeGreaterThanOrEqual(3);
    const options = json<Manifest>(capped, 'manifest.json').options;
    expect(options['modelSessions']).toBe(150);
    // A small input is profiled in memory, which sessionizes in larger parts than a run on disk.
    expect(options['sessionizePartRows']).toBe(DEFAULTS.ingest.inMemorySessionizePartRows);
  }, 120_000);
});
