/**
 * Drift compares a run with the previous run of the same service only: same log format, and a
 * production host in common, or without hosts, logs from the same folder.
 */
import { runIdentity, sameService } from '../../../lib/core/validation/same-service';
import type { InputFile, LogFormat } from '../../../lib/core/types';

const run = (format: LogFormat, hosts: string[], paths: string[]) =>
  runIdentity({ format, inputs: paths.map((p): InputFile => ({ path: p, bytes: 1, format })) }, { productionHosts: hosts });

describe('sameService', () => {
  test('a host in common is the same service, wherever its logs were read from', () => {
    expect(sameService(run('alb', ['shop.example.com', 'api.example.com'], ['s3/2026/11/02/a.gz']), run('alb', ['shop.example.com'], ['s3/2026/11/03/b.gz']))).toBe(true);
  });

  test('no host in common is another service', () => {
    expect(sameService(run('alb', ['shop.example.com'], ['logs/a.gz']), run('alb', ['blog.example.org'], ['logs/a.gz']))).toBe(false);
  });

  test('another log format is another service', () => {
    expect(sameService(run('alb', ['shop.example.com'], ['logs/a.gz']), run('cloudfront', ['shop.example.com'], ['logs/a.gz']))).toBe(false);
  });

  test('without hosts, logs from the same folder (its files rotated or added) are the same service', () => {
    const monday = run('combined', [], ['/var/log/nginx/access.log', '/var/log/nginx/access.log.1']);
    expect(sameService(monday, run('combined', [], ['/var/log/nginx/access.log']))).toBe(true);
    expect(sameService(monday, run('combined', [], ['/var/log/apache2/access.log']))).toBe(false);
  });

  test('the folder is the deepest one that holds every input', () => {
    expect(run('alb', [], ['logs/2026/11/02/a.gz', 'logs/2026/11/03/b.gz']).logFolder).toBe('logs/2026/11');
    expect(run('alb', [], ['logs/a.gz']).logFolder).toBe('logs');
  });
});
