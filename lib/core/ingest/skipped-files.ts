/**
 * Files found among the inputs that are not read (empty, not a log, a copy of another): one warning
 * per reason. A folder such as /var/log holds dozens of files that are not access logs; a warning for
 * each would bury the ones that matter.
 */

/** A file left out, and why (a phrase: "binary file, not a text log"). */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Paths a grouped warning names before it says how many more there are. */
const NAMED_PER_REASON = 3;

/**
 * `skipped a.log: why` for a reason only one file has; past that, `skipped 5 files (why): a, b, c and 2
 * more`. Reasons keep the order their first file came in.
 */
export function describeSkipped(skipped: readonly SkippedFile[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.path]);
  return [...byReason].map(([reason, paths]) => {
    if (paths.length === 1) return `skipped ${paths[0]}: ${reason}`;
    const named = paths.slice(0, NAMED_PER_REASON).join(', ');
    const more = paths.length > NAMED_PER_REASON ? ` and ${paths.length - NAMED_PER_REASON} more` : '';
    return `skipped ${paths.length} files (${reason}): ${named}${more}`;
  });
}
