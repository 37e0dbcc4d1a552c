/**
 * Reads a Lambda's configuration from its environment once, at cold start, with one clear error per
 * missing or malformed variable (the CDK constructs set them; a missing one is a deployment bug).
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function requiredEnv(env: Env, name: string): string {
  const v = env[name];
  if (v === undefined || v === '') throw new ConfigurationError(`environment variable ${name} is not set`);
  return v;
}

/** A positive number from the environment, or `fallback` when unset. */
export function numberEnv(env: Env, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigurationError(`environment variable ${name} must be a positive number, got "${v}"`);
  return n;
}

/** One of `allowed` from the environment. */
export function oneOfEnv<T extends string>(env: Env, name: string, allowed: readonly T[]): T {
  const v = requiredEnv(env, name);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigurationError(`environment variable ${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  }
  return v as T;
}
