/**
 * Escaping for the one place log-derived text meets HTML: the report. Persona names, path templates
 * and input paths come from production logs, so every string is escaped for its context (element
 * text, attribute value, JSON inside a script block) and free text is masked for IPs and emails
 * before it is shown.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for double- or single-quoted attribute values. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` block. `<`, `>` and `&` become `\u003c`-style escapes
 * so no string can close the block (`</script>`) or open an HTML comment (`<!--`); U+2028/U+2029 are
 * escaped for readers that evaluate the block as JavaScript. The result still parses as the same JSON.
 */
export function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Trusted JavaScript (the chart library, the report's own script) made safe to inline in `<script>`:
 * `</script` and `<!--` can only occur inside its strings, regexes or comments, where `<\/` and
 * `<\!--` mean the same thing to the JavaScript parser but nothing to the HTML parser.
 */
export function inlineScriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Masks IP addresses and emails in free text (warnings, error messages, rejection reasons) that the
 * pipeline may have built from a log line: the report is shared, sessions.csv is where PII stays.
 */
export function redactText(text: string): string {
  return text
    .replace(EMAIL, '<email>')
    .replace(IPV4, '<ip>')
    .replace(IPV6_CANDIDATE, (m) => (looksLikeIpv6(m) ? '<ip>' : m));
}

/** Tells `2001:db8::1` from a clock time such as `10:00:00`, which has the same shape. */
function looksLikeIpv6(candidate: string): boolean {
  const groups = candidate.split(':').length;
  if (candidate.includes('::')) return /[0-9a-f]/i.test(candidate);
  return groups >= 5 || (groups >= 4 && /[a-f]/i.test(candidate));
}
