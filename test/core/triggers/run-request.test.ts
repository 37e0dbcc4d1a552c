import { DEFAULTS } from '../../../lib/core/config';
import { closedWindowFor, deployRunRequest, logObjectTime, s3WindowRunRequest, scheduledRunRequest } from '../../../lib/core/triggers';

const t = DEFAULTS.triggers;
const at = (iso: string): number => Date.parse(iso) / 1000;

describe('logObjectTime', () => {
  it('reads the interval end from an ALB log file name', () => {
    const key = 'alb/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/28/123456789012_elasticloadbalancing_eu-west-1_app.shop.50dc6c495c0c9188_20261128T1015Z_10.0.1.23_5n3jvb2k.log.gz';
    expect(logObjectTime(key, 'alb')).toBe(at('2026-11-28T10:15:00Z'));
  });

  it('reads the hour from a CloudFront file name, with or without partition folders', () => {
    expect(logObjectTime('cf/E2QWRUHAPOMQZL.2026-11-28-09.a1b2c3d4.gz', 'cloudfront')).toBe(at('2026-11-28T09:00:00Z'));
    expect(logObjectTime('cf/2026/11/28/09/E2QWRUHAPOMQZL.2026-11-28-09.a1b2c3d4.gz', 'cloudfront')).toBe(at('2026-11-28T09:00:00Z'));
  });

  it('says nothing for names without a time or with an impossible date', () => {
    expect(logObjectTime('alb/manual-upload.log', 'alb')).toBeUndefined();
    expect(logObjectTime('x_20260231T1015Z_10.0.0.1_ab.log.gz', 'alb')).toBeUndefined();
    expect(logObjectTime('cf/E2Q.2026-11-28-25.abc.gz', 'cloudfront')).toBeUndefined();
  });
});

describe('batch windows', () => {
  it('maps every file of the next hour (after the settle time) to the same closed window', () => {
    // Given hourly windows and a 10-minute settle
    const w = { batchWindowSeconds: 3600, settleSeconds: 600 };
    // When files stamped 10:10 .. 11:09 arrive Then they all close 09:00-10:00
    for (const stamp of ['2026-11-28T10:10:00Z', '2026-11-28T10:35:00Z', '2026-11-28T11:09:59Z']) {
      expect(closedWindowFor(at(stamp), w)).toEqual({ start: at('2026-11-28T09:00:00Z'), end: at('2026-11-28T10:00:00Z') });
    }
    // And a file stamped 10:05 (still settling) closes the window before
    expect(closedWindowFor(at('2026-11-28T10:05:00Z'), w).end).toBe(at('2026-11-28T09:00:00Z'));
  });

  it('gives the same request, hence the same run id, for the same window', () => {
    const w = closedWindowFor(at('2026-11-28T10:15:00Z'), t);
    const a = s3WindowRunRequest(w, t.settleSeconds);
    const b = s3WindowRunRequest(closedWindowFor(at('2026-11-28T10:55:00Z'), t), t.settleSeconds);
    expect(a).toEqual(b);
    expect(a.runId).toBe('20261128T101000Z-s3');
    expect(a.window).toEqual({ start: '2026-11-28T09:00:00.000Z', end: '2026-11-28T10:00:00.000Z' });
    expect(a.runId.length).toBeLessThanOrEqual(80); // Step Functions execution name limit
  });
});

describe('deploy and schedule requests', () => {
  it('profiles the hour after a deploy and waits until it has been logged', () => {
    const r = deployRunRequest({ deploymentId: 'd-7X1Q2YB9C', completedAt: at('2026-11-28T14:02:11Z'), detail: { application: 'shop-web' } }, t);
    expect(r.window).toEqual({ start: '2026-11-28T14:02:11.000Z', end: '2026-11-28T15:02:11.000Z' });
    expect(r.notBefore).toBe('2026-11-28T15:12:11.000Z');
    expect(r.runId).toBe('20261128T151211Z-deployd7x1q2yb9c');
    expect(r.trigger).toEqual({ source: 'deploy', detail: { deploymentId: 'd-7X1Q2YB9C', application: 'shop-web' } });
  });

  it('refuses a deployment id with nothing usable in a run id', () => {
    expect(() => deployRunRequest({ deploymentId: '---', completedAt: 0, detail: {} }, t)).toThrow(/no letters or digits/);
  });

  it('profiles the lookback day ending at a schedule tick', () => {
    const r = scheduledRunRequest(at('2026-11-29T02:00:00Z'), t);
    expect(r.window).toEqual({ start: '2026-11-28T02:00:00.000Z', end: '2026-11-29T02:00:00.000Z' });
    expect(r.runId).toBe('20261129T021000Z-schedule');
  });
});
