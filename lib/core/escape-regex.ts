/**
 * Text made literal inside a regular expression. One definition for the JavaScript patterns and the
 * RE2 ones DuckDB runs (the metacharacters escaped are common to both).
 */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
