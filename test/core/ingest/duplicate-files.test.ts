/**
 * Copies among the inputs are found by their bytes, whatever their names: only the first of each set
 * is read.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DiscoveredFile } from '../../../lib/core/ingest/discover-inputs';
import { copiesAmong } from '../../../lib/core/ingest/duplicate-files';

function files(contents: Record<string, string>): DiscoveredFile[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lp-copies-'));
  return Object.entries(contents).map(([name, text]) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    const s = statSync(p);
    return { path: p, bytes: s.size, mtimeMs: s.mtimeMs, gzip: false };
  });
}

const LINE = (t: string, p: string) => `203.0.113.9 - - [02/Sep/2016:10:42:${t} +0200] "GET ${p} HTTP/1.1" 200 7113 "-" "Mozilla/5.0"\n`;

describe('copiesAmong', () => {
  test('a file with the same bytes as an earlier one is its copy; same size or same end is not enough', () => {
    const original = LINE('51', '/a') + LINE('52', '/b');
    const [a, b, c, d] = files({
      'a.log': original,
      'b.log': original, // a copy
      'c.log': LINE('51', '/x') + LINE('53', '/b'), // same size, other bytes throughout
      'd.log': LINE('51', '/z') + LINE('52', '/b'), // same size and same last bytes, another middle
    });
    expect([c!.bytes, d!.bytes]).toEqual([a!.bytes, a!.bytes]);
    expect(copiesAmong([a!, b!, c!, d!])).toEqual(new Map([[b!.path, a!.path]]));
  });

  test('several copies all point to the first, and files of unique sizes are not read at all', () => {
    const [a, b, c, e] = files({ 'a.log': 'x\n', 'b.log': 'x\n', 'c.log': 'x\n', 'e.log': 'longer\n' });
    expect(copiesAmong([a!, b!, c!, e!])).toEqual(new Map([[b!.path, a!.path], [c!.path, a!.path]]));
    // A file of a size no other has is never opened: a missing one would throw otherwise.
    expect(copiesAmong([{ path: '/no/such/file', bytes: 99, mtimeMs: 0, gzip: false }, e!])).toEqual(new Map());
  });
});
