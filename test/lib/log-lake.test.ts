import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULTS } from '../../lib/core/config';
import { perQueryCutoffBytes } from '../../lib/core/cost';
import { LogLake } from '../../lib/log-lake';
import { ALB_COLUMNS, ALB_INPUT_REGEX, CLOUDFRONT_COLUMNS } from '../../lib/log-tables';
import { ENV, testApp } from './stack-fixture';

function lake(props: Partial<ConstructorParameters<typeof LogLake>[2]> = {}): { stack: Stack; template: Template; lake: LogLake } {
  const stack = new Stack(testApp(), 'LakeTest', { env: ENV });
  const l = new LogLake(stack, 'LogLake', { logFormat: 'alb', logPrefix: 'alb/', bytesScannedCutoffPerQuery: 200 * 2 ** 30, ...props });
  return { stack, template: Template.fromStack(stack), lake: l };
}

const { template } = lake();

/** Documented ALB entries: a forwarded request, a client that closed before a target answered (460, target "-"), and an older line without conn_trace_id. */
const ALB_LINES = [
  'https 2026-11-28T10:14:58.186641Z app/shop-prod/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET https://www.example.com:443/p/123?x=1 HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "www.example.com" "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2026-11-28T10:14:58.185000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90',
  'http 2026-11-28T10:14:59.000000Z app/shop-prod/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 460 - 229 0 "POST http://www.example.com:80/cart HTTP/1.1" "curl/8.4.0" - - arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-58337327-72bd00b0343d75b906739c42" "-" "-" 1 2026-11-28T10:14:58.999000Z "forward" "-" "-" "-" "-" "-" "-" TID_aa',
  'h2 2026-11-28T10:15:00.000000Z app/shop-prod/50dc6c495c0c9188 10.0.1.252:48160 10.0.0.66:9000 0.000 0.002 0.000 301 301 5 257 "GET https://10.0.2.105:773/ HTTP/2.0" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-58337327-72bd00b0343d75b906739c42" "-" "-" 1 2026-11-28T10:15:00.000000Z "redirect" "https://example.com:80/" "-" "10.0.0.66:9000" "301" "-" "-"',
];

describe('LogLake buckets', () => {
  it('creates private, SSE-S3 encrypted, versioned buckets that refuse plain HTTP', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(3); // access logs, results, logs
    for (const b of Object.values(buckets) as { Properties: Record<string, unknown> }[]) {
      expect(b.Properties['BucketEncryption']).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(b.Properties['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.Properties['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
    }
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as { Properties: { PolicyDocument: { Statement: { Effect: string; Condition?: unknown }[] } } }[];
    const tlsDenies = policies.filter((p) => p.Properties.PolicyDocument.Statement.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport')));
    expect(tlsDenies).toHaveLength(3);
  });

  it('logs access to the results and log buckets, and turns on EventBridge for the created log bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'results/' } });
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'logs/' } });
    template.hasResourceProperties('Custom::S3BucketNotifications', { NotificationConfiguration: { EventBridgeConfiguration: {} } });
  });

  it('lets the ALB log delivery service write under the log prefix only, for this account', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('LogBucket'), 'Arn'] }, '/alb/*']] },
          }),
        ]),
      },
    });
  });

  it('expires Athena output and work files but keeps run folders', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'athena-results/', ExpirationInDays: 7 }),
          Match.objectLike({ Prefix: 'work/', ExpirationInDays: 30 }),
        ]),
      },
    });
  });

  it('imports an existing log bucket instead of creating one', () => {
    const { template: t, lake: l } = lake({ existingLogBucket: { bucketName: 'shop-prod-logs' } });
    expect(Object.keys(t.findResources('AWS::S3::Bucket'))).toHaveLength(2);
    expect(l.logBucket.bucketName).toBe('shop-prod-logs');
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        StorageDescriptor: Match.objectLike({ Location: 's3://shop-prod-logs/alb/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/' }),
      }),
    });
  });
});

describe('LogLake Glue tables', () => {
  it('declares the ALB table with RegexSerDe and day partition projection (no crawler, no MSCK REPAIR)', () => {
    const { template: t } = lake({ existingLogBucket: { bucketName: 'shop-prod-logs' }, projectionStartDate: '2025/06/01' });
    const root = 's3://shop-prod-logs/alb/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/';
    t.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'loadprint',
      TableInput: {
        Name: 'alb_access_logs',
        TableType: 'EXTERNAL_TABLE',
        Description: Match.anyValue(),
        PartitionKeys: [{ Name: 'day', Type: 'string' }],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy/MM/dd',
          'projection.day.range': '2025/06/01,NOW',
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `${root}\${day}/`,
        }),
        StorageDescriptor: Match.objectLike({
          Location: root,
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe', Parameters: { 'serialization.format': '1', 'input.regex': ALB_INPUT_REGEX } },
        }),
      },
    });
    expect(t.findResources('AWS::Glue::Crawler')).toEqual({});
  });

  it('parses documented ALB entries into one value per column', () => {
    const re = new RegExp(`^${ALB_INPUT_REGEX}$`);
    for (const line of ALB_LINES) {
      const m = re.exec(line);
      expect(m).not.toBeNull();
      expect(m!.length - 1).toBe(ALB_COLUMNS.length);
    }
    const [first, closed] = ALB_LINES.map((l) => re.exec(l)!);
    const col = (m: RegExpExecArray, name: string): string | undefined => m[ALB_COLUMNS.findIndex((c) => c.name === name) + 1];
    expect(col(first!, 'client_ip')).toBe('192.168.131.39');
    expect(col(first!, 'request_url')).toBe('https://www.example.com:443/p/123?x=1');
    expect(col(first!, 'user_agent')).toBe('Mozilla/5.0 (X11; Linux x86_64)');
    expect(col(first!, 'request_creation_time')).toBe('2026-11-28T10:14:58.185000Z');
    expect(col(first!, 'conn_trace_id')).toBe('TID_1234abcd5678ef90');
    expect(col(closed!, 'elb_status_code')).toBe('460');
    expect(col(closed!, 'target_ip')).toBe('');
  });

  it('declares the CloudFront table tab-separated, skipping the two header lines, with hourly projection', () => {
    const { template: t } = lake({ logFormat: 'cloudfront', logPrefix: 'cf/', existingLogBucket: { bucketName: 'cdn-logs' } });
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'cloudfront_logs',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({
          'skip.header.line.count': '2',
          'projection.dt.format': 'yyyy/MM/dd/HH',
          'projection.dt.interval.unit': 'HOURS',
          'projection.dt.range': '2024/01/01/00,NOW',
          'storage.location.template': 's3://cdn-logs/cf/${dt}/',
        }),
        StorageDescriptor: Match.objectLike({
          Columns: CLOUDFRONT_COLUMNS.map((c) => ({ Name: c.name, Type: c.type })),
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': '\t', 'serialization.format': '\t' } },
        }),
      }),
    });
    expect(CLOUDFRONT_COLUMNS).toHaveLength(33);
  });
});

describe('LogLake Athena workgroup', () => {
  it('enforces the result location, SSE-S3 encryption and the per-query scan cutoff derived from the run budget', () => {
    const cutoff = perQueryCutoffBytes({ usd: 1 }, DEFAULTS.cost);
    const { template: t } = lake({ bytesScannedCutoffPerQuery: cutoff });
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'loadprint',
      State: 'ENABLED',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: cutoff,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: Match.objectLike({
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('ResultsBucket') }, '/athena-results/']] },
        }),
      }),
    });
  });

  it('refuses settings Athena or S3 would reject, before deploying', () => {
    expect(() => lake({ bytesScannedCutoffPerQuery: 1000 })).toThrow(/at least 10 MB/);
    expect(() => lake({ logPrefix: 'alb' })).toThrow(/ending in '\/'/);
    expect(() => lake({ projectionStartDate: '2024-01-01' })).toThrow(/look like 2024\/01\/01/);
    expect(() => lake({ databaseName: 'Load-Print' })).toThrow(/lower-case/);
  });
});
