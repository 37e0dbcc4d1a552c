/**
 * One entry point to the log formats the simulator writes: `formatSpec('alb', ...)` and so on.
 */
import type { LogFormat } from '../types';
import { albFormat } from './write-alb';
import type { AlbOptions } from './write-alb';
import { cloudfrontFormat } from './write-cloudfront';
import type { CloudFrontOptions } from './write-cloudfront';
import { combinedFormat } from './write-combined';
import type { CombinedOptions } from './write-combined';
import { csvFormat } from './write-csv';
import { jsonlFormat } from './write-jsonl';
import type { FormatSpec } from './write-logs';

export interface FormatOptions {
  seed: number;
  /** gzip for formats where it is optional (CloudFront: default on; combined, JSONL, CSV: default off). */
  gzip?: boolean;
  alb?: Omit<AlbOptions, 'seed'>;
  cloudfront?: Omit<CloudFrontOptions, 'seed' | 'gzip'>;
  combined?: Omit<CombinedOptions, 'gzip'>;
}

export function formatSpec(format: LogFormat, opts: FormatOptions): FormatSpec {
  const gz = opts.gzip === undefined ? {} : { gzip: opts.gzip };
  switch (format) {
    case 'alb':
      return albFormat({ ...opts.alb, seed: opts.seed });
    case 'cloudfront':
      return cloudfrontFormat({ ...opts.cloudfront, ...gz, seed: opts.seed });
    case 'combined':
      return combinedFormat({ ...opts.combined, ...gz });
    case 'jsonl':
      return jsonlFormat(gz);
    case 'csv':
      return csvFormat(gz);
  }
}
