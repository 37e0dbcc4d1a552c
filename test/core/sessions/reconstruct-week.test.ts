/**
 * The headline promise of ingest: a week of ALB logs from 20,000 sessions, gzip, in ALB's S3 layout,
 * comes back as the same sessions (same client, same start) for at least 97% of them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../../lib/core/types';
import { csvRows, runCli } from '../../helpers/cli';
import { cachedLogs } from '../../helpers/generated-logs';
import { reconstructed } from '../../helpers/reconstructed';
import { listFiles } from '../../helpers/list-files';

test('a week of ALB logs from 20,000 sessions reconstructs at least 97% of sessions exactly', async () => {
  // Given a week of generated ALB traffic in the layout ALB writes to S3
  const logs = await cachedLogs('week-alb-20k', { format: 'alb', sessions: 20_000, seed: 7, days: 7 });
  const layout = /^AWSLogs\/\d{12}\/elasticloadbalancing\/[a-z0-9-]+\/\d{4}\/\d\d\/\d\d\/\d{12}_elasticloadbalancing_.*\.log\.gz$/;
  expect(listFiles(logs.logsDir).every((f) => layout.test(path.relative(logs.logsDir, f)))).toBe(true);
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-week-')), 'run');

  // When loadprint profiles it
  const r = await runCli(['run', logs.logsDir, '--out', out], { timeoutMs: 240_000 });

  // Then every line is read and the sessions come back whole
  expect(r.code).toBe(0);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
  expect(manifest.lines.parsed).toBe(logs.lines);
  const sessions = csvRows(readFileSync(path.join(out, 'sessions.csv'), 'utf8'));
  expect(reconstructed(logs.truthFile, sessions, 0.001)).toBeGreaterThanOrEqual(0.97);
  expect(Math.abs(sessions.length - 20_000) / 20_000).toBeLessThan(0.03);
}, 300_000);

