/**
 * The parse layer's pieces that stand alone; the parse itself is tested through `loadprint run` on
 * every format (test/cli/run-formats.test.ts).
 */
import { jsonPaths } from '../../../lib/core/ingest/parse-sql';

describe('jsonPaths: what a --columns name means in a JSON record', () => {
  test('a plain name is a top-level key', () => {
    expect(jsonPaths('ts')).toEqual(['$."ts"']);
    expect(jsonPaths('@timestamp')).toEqual(['$."@timestamp"']);
  });

  test('dots and [n] are tried as a literal key first, then as the nested value they spell', () => {
    expect(jsonPaths('http.request.method')).toEqual(['$."http.request.method"', '$."http"."request"."method"']);
    expect(jsonPaths('request.headers.User-Agent[0]')).toEqual([
      '$."request.headers.User-Agent[0]"',
      '$."request"."headers"."User-Agent"[0]',
    ]);
  });
});
