/**
 * The log time an S3 object's name says, for the formats AWS delivers:
 * - ALB: `..._elasticloadbalancing_<region>_app.<name>.<id>_20261128T0905Z_10.0.0.1_ab12cd.log.gz`
 *   (the end of the 5-minute interval the file covers);
 * - CloudFront standard logs: `<distribution>.2026-11-28-09.<unique>.gz` (the hour the file covers),
 *   with or without the `{yyyy}/{MM}/{dd}/{HH}/` partition folders of logging v2.
 * Names that say nothing (hand-copied files) give `undefined`; callers fall back to arrival time.
 */
import type { LogFormat } from '../types';

const ALB_STAMP = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/;
const CLOUDFRONT_STAMP = /\.(\d{4})-(\d{2})-(\d{2})-(\d{2})\.[^./]+(?:\.gz)?$/;

function epoch(y: string, mo: string, d: string, h: string, mi: string): number | undefined {
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  const back = new Date(ms);
  // Reject impossible dates (2026-02-31) instead of letting Date roll them over.
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) {
    return undefined;
  }
  return ms / 1000;
}

/** Epoch seconds of the log time in an object key, or undefined when the key carries none. */
export function logObjectTime(key: string, format: LogFormat): number | undefined {
  if (format === 'alb') {
    const m = ALB_STAMP.exec(key);
    return m ? epoch(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!) : undefined;
  }
  if (format === 'cloudfront') {
    const m = CLOUDFRONT_STAMP.exec(key);
    return m ? epoch(m[1]!, m[2]!, m[3]!, m[4]!, '00') : undefined;
  }
  return undefined;
}
