/**
 * `loadprint run s3://...`: a prefix's objects mirrored locally, listed across pages, fetched once,
 * and refused in one line when the bucket, the key names or the size say so.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { fetchS3Logs } from '../../lib/adapters/s3-logs';
import { InputError } from '../../lib/core/errors';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-1' });
const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text)])) as never;
const KEY = (n: number) => `AWSLogs/123/elasticloadbalancing/eu-west-1/2026/11/28/part-${n}.log`;
const MODIFIED = new Date('2026-11-28T10:05:00Z');

describe('fetchS3Logs', () => {
  let dir: string;
  beforeEach(async () => {
    s3.reset();
    dir = await mkdtemp(path.join(tmpdir(), 'lp-s3logs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Three objects over two pages of ListObjectsV2 (and a folder placeholder), each body its key. */
  function bucketOfThree() {
    s3.on(ListObjectsV2Command, { Bucket: 'alb-logs', Prefix: 'AWSLogs/123/', ContinuationToken: undefined }).resolves({
      Contents: [{ Key: 'AWSLogs/123/', Size: 0, LastModified: MODIFIED }, { Key: KEY(1), Size: KEY(1).length, LastModified: MODIFIED }],
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
      Contents: [2, 3].map((n) => ({ Key: KEY(n), Size: KEY(n).length, LastModified: MODIFIED })),
      IsTruncated: false,
    });
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({ Body: body(input.Key) }));
  }

  it('mirrors every object under bucket/key, keeps its time, and fetches it only once', async () => {
    bucketOfThree();
    // When the prefix is fetched
    const progress: number[] = [];
    const [first] = await fetchS3Logs(['s3://alb-logs/AWSLogs/123/'], { client, dir, onProgress: (_uri, done, total) => progress.push(done, total) });
    expect(progress).toEqual([0, 3, 1, 3, 2, 3, 3, 3]);
    // Then every object is a local file named after its key, with its content and S3 time
    expect(first).toMatchObject({ uri: 's3://alb-logs/AWSLogs/123/', objects: 3, downloaded: 3 });
    expect(first!.files).toEqual([1, 2, 3].map((n) => path.join(dir, 'alb-logs', ...KEY(n).split('/'))));
    for (const [i, file] of first!.files.entries()) {
      expect(readFileSync(file, 'utf8')).toBe(KEY(i + 1));
      expect(statSync(file).mtimeMs).toBe(MODIFIED.getTime());
    }
    expect(existsSync(`${first!.files[0]}.part`)).toBe(false);
    // And fetched again into the same folder, nothing is downloaded
    s3.resetHistory();
    const [again] = await fetchS3Logs(['s3://alb-logs/AWSLogs/123/'], { client, dir });
    expect(again).toMatchObject({ objects: 3, downloaded: 0 });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
  });

  it('refuses a key that could name a file outside the folder, before writing anything', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'AWSLogs/../../etc/cron.d/x', Size: 3, LastModified: MODIFIED }], IsTruncated: false });
    const fetching = fetchS3Logs(['s3://alb-logs/AWSLogs/'], { client, dir });
    await expect(fetching).rejects.toThrow(InputError);
    await expect(fetchS3Logs(['s3://alb-logs/AWSLogs/'], { client, dir })).rejects.toThrow(
      's3://alb-logs/AWSLogs/: the key "AWSLogs/../../etc/cron.d/x" cannot be a local file name; narrow the prefix to leave it out',
    );
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
  });

  it('says what to do about an empty prefix, too many objects, or S3 refusing', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 'empty/' }).resolves({ IsTruncated: false });
    await expect(fetchS3Logs(['s3://alb-logs/empty/'], { client, dir })).rejects.toThrow('s3://alb-logs/empty/ holds no objects; check the bucket and prefix');
    bucketOfThree();
    await expect(fetchS3Logs(['s3://alb-logs/AWSLogs/123/'], { client, dir, maxObjects: 2 })).rejects.toThrow(
      's3://alb-logs/AWSLogs/123/ holds more than 2 objects; narrow the prefix (to a month or a day)',
    );
    s3.on(ListObjectsV2Command, { Bucket: 'private-logs' }).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(fetchS3Logs(['s3://private-logs/x/'], { client, dir })).rejects.toThrow(
      /^cannot list s3:\/\/private-logs\/x\/: AccessDenied: Access Denied; check the AWS credentials and permissions/,
    );
  });
});
