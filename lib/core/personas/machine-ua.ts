/**
 * Machine user agents: HTTP libraries and tools (curl, python-requests, okhttp, Go-http-client, ...)
 * that integrations use without pretending to be browsers. The features SQL turns this into the 0/1
 * `machine_ua` column (evidence for `api_consumer`); the JS twin serves tests and the generator.
 */
import { PERSONAS_DEFAULTS } from './persona-config';

/** True when the user agent contains one of the fragments, ignoring case. */
export function isMachineUserAgent(userAgent: string, fragments: readonly string[] = PERSONAS_DEFAULTS.machineUserAgents): boolean {
  const ua = userAgent.toLowerCase();
  return fragments.some((f) => ua.includes(f.toLowerCase()));
}

/**
 * Portable SQL (DuckDB and Athena/Trino) for the `machine_ua` column: 1 when the user agent column
 * contains one of the fragments, else 0. LIKE wildcards in fragments are escaped, so `_` is literal.
 */
export function machineUserAgentSql(userAgentColumn: string, fragments: readonly string[] = PERSONAS_DEFAULTS.machineUserAgents): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(userAgentColumn)) throw new Error(`machine_ua: bad column name ${userAgentColumn}`);
  const tests = fragments.map((f) => {
    const escaped = f.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`).replace(/'/g, "''");
    return `lower(COALESCE("${userAgentColumn}", '')) LIKE '%${escaped}%' ESCAPE '\\'`;
  });
  return `CASE WHEN ${tests.join(' OR ')} THEN 1 ELSE 0 END`;
}
