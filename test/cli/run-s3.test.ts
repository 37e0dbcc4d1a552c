/**
 * `loadprint run s3://bucket/prefix` from the built CLI, through the real AWS SDK. S3 is a stand-in on
 * 127.0.0.1 (ListObjectsV2 in pages of 200, GetObject) serving the bundled week of ALB logs under
 * their S3 keys, as ALB writes them.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../lib/core/types';
import { REPO, runCli } from '../helpers/cli';
import { standInS3 } from '../helpers/stand-in-s3';

const BUCKET = 'shop-alb-logs';
const LOGS = path.join(REPO, 'examples', 'alb');
const PAGE = 200;

/** The example logs' keys (their paths under examples/alb), sorted as S3 lists them. */
function keysUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? keysUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

/** The object ALB writes when access logging is turned on: not a log. */
const TEST_FILE = { key: 'AWSLogs/123456789012/ELBAccessLogTestFile', body: Buffer.from('Enable AccessLog for ELB: shop-prod at 2026-11-04T00:00:00.000Z\n') };
const objectBody = (key: string) => (key === TEST_FILE.key ? TEST_FILE.body : readFileSync(path.join(LOGS, key)));

describe('loadprint run s3://bucket/prefix', () => {
  const s3 = standInS3({ bucket: BUCKET, keys: [...keysUnder(LOGS), TEST_FILE.key], body: objectBody, pageSize: PAGE });
  const gets = s3.gets;
  beforeAll(() => s3.start());
  afterAll(() => s3.stop());
  const env = () => s3.env();

  test('reads the objects as their local copies would be read, names them by URI, and fetches them once', async () => {
    // Given the week of ALB logs in a bucket, and the same files on disk
    const base = mkdtempSync(path.join(os.tmpdir(), 'lp-run-s3-'));
    const uri = `s3://${BUCKET}/AWSLogs/`;
    const local = await runCli(['run', LOGS, '--out', path.join(base, 'local')]);
    expect(local.code).toBe(0);
    // When a run reads the bucket's prefix, with a cache
    const first = await runCli(['run', uri, '--out', path.join(base, 'first'), '--cache', path.join(base, 'cache')], { env: env() });
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    // Then it read every object, and the same lines and sessions as the local files
    const keys = [...keysUnder(LOGS), TEST_FILE.key].sort();
    expect(first.stderr).toContain(`${uri}: ${keys.length} objects`);
    expect(gets.sort()).toEqual(keys);
    const manifest = (run: string) => JSON.parse(readFileSync(path.join(base, run, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest('first').lines).toEqual(manifest('local').lines);
    expect(manifest('first').sessions).toBe(manifest('local').sessions);
    expect(readFileSync(path.join(base, 'first', 'sessions.csv'), 'utf8')).toBe(readFileSync(path.join(base, 'local', 'sessions.csv'), 'utf8'));
    // And the manifest names the objects it read, not their local copies, and the skipped test file by its URI
    expect(manifest('first').inputs.map((i) => i.path).sort()).toEqual(keysUnder(LOGS).sort().map((k) => `s3://${BUCKET}/${k}`));
    expect(manifest('first').warnings).toEqual([`skipped s3://${BUCKET}/${TEST_FILE.key}: unknown log format`]);
    // And a second run with the same cache downloads nothing and parses nothing again
    gets.length = 0;
    const second = await runCli(['run', uri, '--out', path.join(base, 'second'), '--cache', path.join(base, 'cache')], { env: env() });
    expect(second.code).toBe(0);
    // (ALB's test file is the one new file there is: not a log, it leaves the cached ones to read)
    expect(second.stderr).toContain(`warning: skipped s3://${BUCKET}/${TEST_FILE.key}: unknown log format`);
    expect(gets).toEqual([]);
    expect(second.stderr).toContain(`0 downloaded, ${keys.length} already here`);
    expect(manifest('second').refresh).toMatchObject({ cachedFiles: keys.length - 1, parsedFiles: 0 });
  });

  test('an error about the objects names them by URI, not by their local copies', async () => {
    // Given a bucket holding an ALB log and a CloudFront log
    const alb = keysUnder(LOGS).find((k) => k.endsWith('.log.gz'))!;
    const cloudfront = 'cloudfront/E2QWRUHEXAMPLE.2026-11-04-17.35d78857.gz';
    const files: Record<string, string> = { [alb]: path.join(LOGS, alb), [cloudfront]: path.join(REPO, 'examples', cloudfront) };
    const mixed = standInS3({ bucket: 'mixed-logs', keys: Object.keys(files), body: (k) => readFileSync(files[k]!) });
    await mixed.start();
    try {
      // When a run reads the whole bucket
      const r = await runCli(['run', 's3://mixed-logs/', '--out', path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-run-s3-')), 'out')], { env: mixed.env() });
      // Then the one error line names both objects by their URIs
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        `loadprint: inputs mix log formats (s3://mixed-logs/${alb} is alb, s3://mixed-logs/${cloudfront} is cloudfront); run them separately or pass --format`,
      );
    } finally {
      await mixed.stop();
    }
  });

  test('a bucket that does not exist is one line saying what to check', async () => {
    const r = await runCli(['run', 's3://no-such-logs/AWSLogs/', '--out', path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-run-s3-')), 'out')], { env: env() });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^loadprint: cannot list s3:\/\/no-such-logs\/AWSLogs\/: NoSuchBucket: The specified bucket does not exist; check the AWS credentials/),
    ]);
  });
});
