/**
 * PII redaction for anything that leaves the logs: rejected-line samples in the manifest, parameter
 * pools in the model. IP addresses, emails, bearer-like tokens and long random strings are masked;
 * a configurable deny list masks more. sessions.csv is the only output that keeps client IPs.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
/** Full eight-group form, or compressed with `::` (clock times such as 10:48:17 are neither). */
const IPV6 = /\b(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?)\b/g;
/** JWTs, API keys, session ids: long runs mixing letters and digits. */
const TOKEN = /\b(?=[A-Za-z0-9_\-.=]*\d)(?=[A-Za-z0-9_\-.=]*[A-Za-z])[A-Za-z0-9_\-.=]{24,}\b/g;
const SECRET_KV = /\b(token|access_token|api_key|apikey|key|secret|password|passwd|pwd|auth|session|sessionid|sid|signature|sig)=([^&\s"]+)/gi;

export function maskPii(text: string): string {
  return text
    .replace(SECRET_KV, (_m, k: string) => `${k}=<redacted>`)
    .replace(EMAIL, '<email>')
    .replace(TOKEN, '<token>')
    .replace(IPV6, '<ip>')
    .replace(IPV4, '<ip>');
}

/**
 * True when a parameter value must not leave the logs: it is or contains PII, looks like a secret,
 * or matches the deny list. Pools drop such values rather than keep masked copies, so a load test
 * never replays a placeholder as if it were a real id.
 */
export function isSensitiveValue(value: string, denyList: readonly RegExp[] = []): boolean {
  if (value.length > 200) return true;
  if (maskPii(value) !== value) return true;
  return denyList.some((re) => re.test(value));
}

export function compileDenyList(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p, 'i'));
}
