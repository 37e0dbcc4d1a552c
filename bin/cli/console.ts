/**
 * What the CLI prints while it works: warnings always, progress per step only on a TTY (so logs and
 * pipes stay clean), debug lines only with --debug. Everything goes to stderr; stdout is for data.
 */
import type { Logger } from '../../lib/core/types';

export function cliLogger(debug: boolean): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`loadprint: ${level}${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return {
    debug: (m, f) => (debug ? line('debug: ', m, f) : undefined),
    info: (m, f) => line('', m, f),
    warn: (m, f) => line('warning: ', m, f),
  };
}

export function stepReporter(): ((step: string, phase: 'start' | 'end', seconds?: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (step, phase, seconds) => {
    if (phase === 'start') process.stderr.write(`  ${step} ...`);
    else process.stderr.write(`\r  ${step} ${seconds?.toFixed(2)}s\n`);
  };
}
