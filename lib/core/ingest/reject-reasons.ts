/**
 * Why a line was not read as a request: the keys of manifest.json's `lines.rejectedByReason`, in the
 * words the report gives them. A user deciding whether 45 rejected lines are a parser's fault or the
 * log's reads these.
 */
export const REJECT_REASONS: Readonly<Record<string, string>> = {
  unrecognized_line: 'not laid out as the format\'s lines are (a stray message, another format)',
  bad_timestamp: 'its time cannot be read',
  no_request: 'the client sent no request: the server logged "-" (a timeout on an idle connection, a bare connect)',
  bad_request: 'its request is not METHOD /path (TLS sent to a plain-HTTP port, a scanner\'s bytes)',
  bad_status: 'its status is not a number',
  invalid_record: 'not a JSON object',
  invalid_encoding: 'not UTF-8 text',
  line_too_long: 'longer than the 2 MB a line may be',
};

/** What a reason means, or nothing for one this version does not know (a manifest from another). */
export function describeRejectReason(reason: string): string {
  return Object.hasOwn(REJECT_REASONS, reason) ? REJECT_REASONS[reason]! : '';
}
