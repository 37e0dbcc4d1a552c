import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { S3Store } from '../../lib/adapters/s3-store';
import { UnsafeKeyError } from '../../lib/core/api/store-key';

const s3 = mockClient(S3Client);
const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text)]));

describe('S3Store', () => {
  const store = new S3Store({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'results-bucket', prefix: 'loadprint' });
  beforeEach(() => s3.reset());

  it('reads an object under the prefix and answers undefined for a missing one', async () => {
    s3.on(GetObjectCommand, { Bucket: 'results-bucket', Key: 'loadprint/runs/r1/model.json' }).resolves({ Body: body('{"m":1}') as never });
    s3.on(GetObjectCommand, { Key: 'loadprint/runs/r2/model.json' }).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect((await store.get('runs/r1/model.json'))?.toString()).toBe('{"m":1}');
    expect(await store.get('runs/r2/model.json')).toBeUndefined();
  });

  it('passes other S3 failures on', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(store.get('runs/r1/model.json')).rejects.toThrow('Access Denied');
  });

  it('writes with the content type under the prefix', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('latest.json', '{"runId":"r1"}', 'application/json');
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'results-bucket',
      Key: 'loadprint/latest.json',
      Body: '{"runId":"r1"}',
      ContentType: 'application/json',
    });
  });

  it('lists one level below a prefix across pages, folders and objects alike', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ CommonPrefixes: [{ Prefix: 'loadprint/runs/r1/' }], Contents: [{ Key: 'loadprint/runs/' }], IsTruncated: true, NextContinuationToken: 't2' });
    s3.on(ListObjectsV2Command, { ContinuationToken: 't2' })
      .resolves({ CommonPrefixes: [{ Prefix: 'loadprint/runs/r2/' }], Contents: [{ Key: 'loadprint/runs/index.json' }], IsTruncated: false });
    expect(await store.list('runs/')).toEqual(['index.json', 'r1', 'r2']);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'results-bucket', Prefix: 'loadprint/runs/', Delimiter: '/' });
  });

  it('stops listing after its page bound even if S3 keeps saying truncated', async () => {
    const bounded = new S3Store({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'b', maxListPages: 3 });
    s3.on(ListObjectsV2Command).resolves({ CommonPrefixes: [{ Prefix: 'runs/x/' }], IsTruncated: true, NextContinuationToken: 'again' });
    expect(await bounded.list('runs/')).toEqual(['x']);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 3);
  });

  it.each(['../x', 'runs/../../x', '/x', 'a//b', 'a\\b', 'a\u0000b'])('refuses key %j without calling S3', async (key) => {
    await expect(store.get(key)).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(UnsafeKeyError);
    expect(s3.calls()).toHaveLength(0);
  });
});
