/**
 * Named errors. A `UserError` is something the user can fix (bad path, unknown format, bad option):
 * the CLI prints its message as one line and exits non-zero; anything else is a bug and shows a
 * stack trace only with --debug.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that cannot be read as logs: missing path, empty folder, binary file, unknown format. */
export class InputError extends UserError {
  override readonly name = 'InputError';
}

/** A command-line or configuration value out of range. */
export class OptionError extends UserError {
  override readonly name = 'OptionError';
}

/** Narrowing helper for `catch (e: unknown)`. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
