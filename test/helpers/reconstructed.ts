/**
 * How many true sessions a run found again: same client (IP + user agent) and the same start, within
 * the resolution the format logs times at.
 */
import { readFileSync } from 'node:fs';
import { csvRows } from './cli';

/**
 * Share of true sessions found with the same client (IP + user agent) and the same start, within the
 * resolution the format logs times at (ALB: microseconds; the others: whole seconds, and CloudFront
 * logs the response end, from which the start is derived with time-taken).
 */
export function reconstructed(truthFile: string, sessions: Record<string, string>[], toleranceSeconds: number): number {
  const byClient = new Map<string, number[]>();
  for (const s of sessions) {
    const k = `${s['client_ip']}|${s['user_agent']}`;
    byClient.set(k, [...(byClient.get(k) ?? []), Date.parse(s['start']!)]);
  }
  const truth = csvRows(readFileSync(truthFile, 'utf8'));
  const found = truth.filter((t) =>
    (byClient.get(`${t['client_ip']}|${t['user_agent']}`) ?? []).some((start) => Math.abs(start - Date.parse(t['start']!)) <= toleranceSeconds * 1000),
  );
  return found.length / truth.length;
}

