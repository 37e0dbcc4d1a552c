import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ApiGatewayEvent, ApiGatewayResult } from '../../../lib/core/api/http';
import { asObjects, LATEST_RUN } from '../../core/api/results-root-fixture';

const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:loadprint-profile';
const PREFIX = 'results/';

const sampleEvent = (name: string): ApiGatewayEvent =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'events', name), 'utf8')) as ApiGatewayEvent;
const context = { awsRequestId: 'lambda-req-1', functionName: 'loadprint-api', getRemainingTimeInMillis: () => 10_000 };

/** Serves the fixture results root from the mocked bucket, as the API bucket would. */
function bucketWithFixture(): void {
  const objects = asObjects();
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const text = objects.get(input.Key.slice(PREFIX.length));
    if (text === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return { Body: sdkStreamMixin(Readable.from([Buffer.from(text)])) };
  });
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => {
    const rel = input.Prefix.slice(PREFIX.length);
    const below = new Set<string>();
    for (const key of objects.keys()) if (key.startsWith(rel)) below.add(key.slice(rel.length).split('/')[0] as string);
    return { CommonPrefixes: [...below].map((n) => ({ Prefix: `${input.Prefix}${n}/` })), IsTruncated: false };
  });
  s3.on(PutObjectCommand).resolves({});
}

describe('API Lambda handler with API Gateway sample events', () => {
  let handler: (e: ApiGatewayEvent, c: unknown) => Promise<ApiGatewayResult>;

  beforeAll(async () => {
    process.env['RESULTS_BUCKET'] = 'loadprint-results';
    process.env['RESULTS_PREFIX'] = PREFIX;
    process.env['STATE_MACHINE_ARN'] = ARN;
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    ({ handler } = (await import('../../../functions/api/handler')) as unknown as { handler: typeof handler });
  });
  beforeEach(() => {
    s3.reset();
    sfn.reset();
    bucketWithFixture();
  });

  it('lists runs newest first (events/api-get-runs.json, limit=2)', async () => {
    const res = await handler(sampleEvent('api-get-runs.json'), context);
    expect(res.statusCode).toBe(200);
    const page = JSON.parse(res.body) as { runs: { runId: string }[]; nextCursor: string | null };
    expect(page.runs.map((r) => r.runId)).toEqual(['20261128T110000Z-ddd444', '20261128T100000Z-ccc333']);
    expect(page.nextCursor).not.toBeNull();
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'loadprint-results', Prefix: 'results/runs/', Delimiter: '/' });
  });

  it('serves the latest k6 script with its content type (events/api-get-latest-scenario-k6.json)', async () => {
    const res = await handler(sampleEvent('api-get-latest-scenario-k6.json'), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/javascript; charset=utf-8');
    expect(res.body).toContain(`k6 scenario for run ${LATEST_RUN}`);
    expect(res.headers['Content-Location']).toBe(`/prod/runs/${LATEST_RUN}/scenarios/k6`);
  });

  it('serves a manifest (events/api-get-run-manifest.json) from the prefixed key', async () => {
    const e = sampleEvent('api-get-run-manifest.json');
    const res = await handler({ ...e, path: `/runs/${LATEST_RUN}`, pathParameters: { proxy: `runs/${LATEST_RUN}` } }, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ runId: LATEST_RUN, status: 'succeeded' });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'loadprint-results', Key: `results/runs/${LATEST_RUN}/manifest.json` });
  });

  it('answers a stale ETag with 200 and the current one with 304 (events/api-get-model-if-none-match.json)', async () => {
    const e = sampleEvent('api-get-model-if-none-match.json');
    const stale = await handler({ ...e, path: `/runs/${LATEST_RUN}/model` }, context);
    expect(stale.statusCode).toBe(200);
    const etag = stale.headers['ETag'] as string;
    const fresh = await handler({ ...e, path: `/runs/${LATEST_RUN}/model`, headers: { ...e.headers, 'If-None-Match': etag }, multiValueHeaders: null }, context);
    expect(fresh.statusCode).toBe(304);
  });

  it('serves the OpenAPI document (events/api-get-openapi.json)', async () => {
    const res = await handler(sampleEvent('api-get-openapi.json'), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ openapi: '3.1.0' });
  });

  it('starts a Step Functions execution for POST /runs and answers 202 with a stage-relative status URL (events/api-post-runs.json)', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date() });
    const res = await handler(sampleEvent('api-post-runs.json'), context);
    expect(res.statusCode).toBe(202);
    const body = JSON.parse(res.body) as { runId: string; statusUrl: string };
    expect(body.statusUrl).toBe(`/prod/runs/${body.runId}`);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: ARN,
      name: body.runId,
      input: JSON.stringify({ runId: body.runId, inputs: ['s3://example-alb-logs/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/27/'] }),
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `results/requests/${body.runId}.json` });
  });

  it('refuses POST /runs with local paths (not S3) with 400 and starts no execution', async () => {
    const e = sampleEvent('api-post-runs.json');
    const res = await handler({ ...e, body: JSON.stringify({ inputs: ['/var/log/nginx'] }) }, context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'invalid_inputs' } });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses an encoded traversal with 400 without any S3 call (events/api-get-traversal.json)', async () => {
    const res = await handler(sampleEvent('api-get-traversal.json'), context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'invalid_path', message: expect.any(String) } });
    expect(s3.calls()).toHaveLength(0);
  });

  it('hides an S3 failure behind a generic 500', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('AccessDenied: results-bucket policy'), { name: 'AccessDenied' }));
    const res = await handler(sampleEvent('api-get-latest-scenario-k6.json'), context);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('AccessDenied');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'internal_error' } });
  });
});
