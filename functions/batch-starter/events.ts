/**
 * The shapes batch-starter accepts: an SQS batch whose bodies are EventBridge "Object Created" events
 * from S3 (the rule's target is the queue, so each body is the whole EventBridge event).
 */
import { asRecord, check, InvalidEventError } from '../../lib/adapters/middy-validate-event';

export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
}

export interface SqsEnvelope {
  readonly Records: readonly SqsRecord[];
}

export interface ObjectCreated {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** When S3 emitted the event (epoch seconds): the fallback log time for keys that carry none. */
  readonly eventTime: number;
}

/** Validates the SQS envelope; records' bodies are parsed one by one (a bad one must not sink the batch). */
export function parseSqsEnvelope(raw: unknown): SqsEnvelope {
  const event = asRecord(raw, 'event');
  check(Array.isArray(event['Records']), 'event.Records must be an array (is this an SQS event?)');
  const records = (event['Records'] as unknown[]).map((r, i) => {
    const rec = asRecord(r, `event.Records[${i}]`);
    check(typeof rec['messageId'] === 'string', `event.Records[${i}].messageId must be a string`);
    check(typeof rec['body'] === 'string', `event.Records[${i}].body must be a string`);
    return { messageId: rec['messageId'], body: rec['body'] };
  });
  return { Records: records };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses one record body; the reason names what is missing, never echoes the body. */
export function parseObjectCreated(body: string): Parsed<ObjectCreated> {
  try {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
    const e = asRecord(json, 'body');
    check(e['source'] === 'aws.s3', 'body.source must be "aws.s3"');
    check(e['detail-type'] === 'Object Created', 'body.detail-type must be "Object Created"');
    const eventTime = Date.parse(String(e['time']));
    check(Number.isFinite(eventTime), 'body.time must be an ISO-8601 time');
    const detail = asRecord(e['detail'], 'body.detail');
    const bucket = asRecord(detail['bucket'], 'body.detail.bucket');
    const object = asRecord(detail['object'], 'body.detail.object');
    check(typeof bucket['name'] === 'string' && bucket['name'] !== '', 'body.detail.bucket.name must be a string');
    check(typeof object['key'] === 'string' && object['key'] !== '', 'body.detail.object.key must be a string');
    const size = object['size'] === undefined ? 0 : Number(object['size']);
    check(Number.isFinite(size) && size >= 0, 'body.detail.object.size must be a number');
    // S3 event keys are URL-encoded (spaces as '+').
    const key = decodeURIComponent(object['key'].replace(/\+/g, ' '));
    return { ok: true, value: { bucket: bucket['name'], key, size, eventTime: eventTime / 1000 } };
  } catch (e: unknown) {
    if (e instanceof InvalidEventError) return { ok: false, reason: e.message };
    if (e instanceof URIError) return { ok: false, reason: 'body.detail.object.key is not valid URL encoding' };
    throw e;
  }
}
