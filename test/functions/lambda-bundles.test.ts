/**
 * The functions as Lambda runs them: every handler bundled with the construct's own esbuild options
 * (LAMBDA_BUNDLING) and loaded by the Node these tests run on, which `npm run test:lts` makes the
 * Lambda runtime's major (scripts/lambda-node.mjs). The API's bundle also answers requests, through
 * the real SDK, from a stand-in S3 on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { ESBUILD_TARGET, LAMBDA_BUNDLING, LAMBDA_RUNTIME } from '../../lib/loadprint-function';
import { REPO } from '../helpers/cli';
import { standInS3 } from '../helpers/stand-in-s3';

const run = promisify(execFile);
/** Under the repository, so that the bundles find the AWS SDK the runtime would provide in node_modules. */
const OUT = path.join(REPO, 'node_modules', '.cache', 'loadprint-lambda-bundles');
const HANDLERS = readdirSync(path.join(REPO, 'functions'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(path.join(REPO, 'functions', e.name)).includes('handler.ts'))
  .map((e) => e.name);

/** The variables the stack gives the functions (each reads its own at load time). */
const FUNCTION_ENV = {
  RESULTS_BUCKET: 'loadprint-results',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:Loadprint',
  LOG_FORMAT: 'alb',
  GLUE_DATABASE: 'loadprint',
  LOG_TABLE: 'alb_access_logs',
  LOG_PARTITION_COLUMN: 'day',
  LOG_PARTITION_FORMAT: 'yyyy/MM/dd',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

/** Loads a bundle in a fresh Node as Lambda's ESM loader does, and hands it one event when given. */
const INVOKE = `
const [bundle, event] = process.argv.slice(1);
const { handler } = await import(bundle);
if (!event) { process.stdout.write(typeof handler); process.exit(0); }
const context = { functionName: 'loadprint-test', functionVersion: '$LATEST', awsRequestId: 'req-1', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:loadprint-test', getRemainingTimeInMillis: () => 30000 };
process.stdout.write(JSON.stringify(await handler(JSON.parse(event), context)));
`;

async function bundle(name: string): Promise<string> {
  const outfile = path.join(OUT, name, 'index.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(REPO, 'functions', name, 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    banner: { js: LAMBDA_BUNDLING.banner },
    external: [...LAMBDA_BUNDLING.externalModules],
    logLevel: 'error',
  });
  return outfile;
}

async function invoke(file: string, env: Record<string, string>, event?: unknown): Promise<string> {
  const args = ['--input-type=module', '-e', INVOKE, pathToFileURL(file).href, ...(event === undefined ? [] : [JSON.stringify(event)])];
  const { stdout } = await run(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', ...FUNCTION_ENV, ...env }, timeout: 30_000 });
  return stdout;
}

const apiEvent = (name: string) => JSON.parse(readFileSync(path.join(REPO, 'events', name), 'utf8')) as Record<string, unknown>;

describe('the Lambda bundles on the Lambda runtime', () => {
  test('the tests run on the runtime\'s major, which the bundles target and package.json pins', () => {
    const major = /^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME.name)?.[1];
    const pinned = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { config: { lambdaNodeVersion: string } }).config.lambdaNodeVersion;
    expect(major).toBeDefined();
    expect({ testedOn: process.versions.node.split('.')[0], target: ESBUILD_TARGET, pinned: pinned.split('.')[0] }).toEqual({
      testedOn: major,
      target: `node${major}`,
      pinned: major,
    });
  });

  test('every handler bundles, and its bundle loads and exports the handler', async () => {
    expect(HANDLERS.length).toBeGreaterThanOrEqual(10);
    for (const name of HANDLERS) {
      const loaded = await invoke(await bundle(name), { AWS_REGION: 'us-east-1' });
      expect({ name, loaded }).toEqual({ name, loaded: 'function' });
    }
  });

  test('the API bundle lists the runs in the results bucket and serves its OpenAPI document', async () => {
    // Given a results bucket holding one finished run
    const runId = '20261128T090000Z-abc123';
    const manifest = { runId, status: 'succeeded', createdAt: '2026-11-28T09:00:00.000Z', finishedAt: '2026-11-28T09:00:07.000Z', sessions: 42 };
    const s3 = standInS3({ bucket: FUNCTION_ENV.RESULTS_BUCKET, keys: [`runs/${runId}/manifest.json`], body: () => Buffer.from(JSON.stringify(manifest)) });
    await s3.start();
    try {
      const api = await bundle('api');
      // When API Gateway asks the function for the runs, and for the API's description
      const runs = JSON.parse(await invoke(api, s3.env(), apiEvent('api-get-runs.json'))) as { statusCode: number; body: string };
      const openapi = JSON.parse(await invoke(api, s3.env(), apiEvent('api-get-openapi.json'))) as { statusCode: number; body: string };
      // Then the run comes back as the manifest describes it, read through the SDK
      expect(runs.statusCode).toBe(200);
      expect((JSON.parse(runs.body) as { runs: unknown[] }).runs).toEqual([
        { runId, status: 'succeeded', createdAt: manifest.createdAt, finishedAt: manifest.finishedAt, sessions: 42 },
      ]);
      expect(s3.gets).toEqual([`runs/${runId}/manifest.json`]);
      expect(openapi.statusCode).toBe(200);
      expect(JSON.parse(openapi.body)).toMatchObject({ openapi: expect.stringMatching(/^3\./), paths: expect.objectContaining({ '/runs': expect.anything() }) });
    } finally {
      await s3.stop();
    }
  });
});
