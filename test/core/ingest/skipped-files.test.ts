import { describeSkipped } from '../../../lib/core/ingest/skipped-files';

describe('describeSkipped', () => {
  test('a reason one file has names it; a reason many have is one warning with a few of them and the count', () => {
    const skipped = [
      { path: 'a.bin', reason: 'binary file, not a text log' },
      { path: 'notes.txt', reason: 'unknown log format' },
      ...['b.bin', 'c.bin', 'd.bin', 'e.bin'].map((path) => ({ path, reason: 'binary file, not a text log' })),
      { path: 'x.log', reason: 'empty' },
      { path: 'y.log', reason: 'empty' },
    ];
    expect(describeSkipped(skipped)).toEqual([
      'skipped 5 files (binary file, not a text log): a.bin, b.bin, c.bin and 2 more',
      'skipped notes.txt: unknown log format',
      'skipped 2 files (empty): x.log, y.log',
    ]);
  });

  test('nothing skipped, no warning', () => {
    expect(describeSkipped([])).toEqual([]);
  });
});
