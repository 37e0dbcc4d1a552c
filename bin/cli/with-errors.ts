/**
 * The one place where errors become what a user sees: a single line on stderr and a non-zero exit.
 * A UserError's message is already written for the user; anything else is a bug, reported as such,
 * with the stack only under --debug.
 */
import type { Command } from 'commander';
import { UserError, errorMessage } from '../../lib/core/errors';

export function isDebug(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals()['debug']);
}

export function withErrors<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command;
    try {
      await action(...args);
    } catch (e: unknown) {
      const debug = isDebug(cmd);
      if (debug && e instanceof Error) process.stderr.write(`${e.stack ?? e.message}\n`);
      const line =
        e instanceof UserError
          ? `loadprint: ${e.message}`
          : `loadprint: internal error: ${errorMessage(e)}${debug ? '' : ' (rerun with --debug for details)'}`;
      process.stderr.write(`${line.replace(/\s*\n\s*/g, ' ')}\n`);
      process.exitCode = e instanceof UserError ? 2 : 1;
    }
  };
}
