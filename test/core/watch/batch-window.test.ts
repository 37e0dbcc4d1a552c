import { BatchWindow, isIgnoredName } from '../../../lib/core/watch/batch-window';
import { DEFAULTS } from '../../../lib/core/config';

const file = (p: string, size: number, mtimeMs = 1) => ({ path: p, size, mtimeMs });

describe('batch window for dropped log files', () => {
  it('turns files arriving within the quiet period into one batch, due a quiet period after the last one', () => {
    // Given a 5 s quiet period and three files at t=0, 2 s and 4 s
    const w = new BatchWindow({ quietPeriodMs: 5000 });
    w.observe(file('/d/a.log', 10), 0);
    w.observe(file('/d/b.log', 10), 2000);
    w.observe(file('/d/c.log', 10), 4000);
    // Then nothing is due before t=9 s, and all three are due at 9 s, once
    expect(w.takeDue(8999)).toEqual([]);
    expect(w.dueAt()).toBe(9000);
    expect(w.takeDue(9000)).toEqual(['/d/a.log', '/d/b.log', '/d/c.log']);
    expect(w.takeDue(20000)).toEqual([]);
    expect(w.dueAt()).toBeUndefined();
  });

  it('holds the batch back while a file keeps growing (a partial write)', () => {
    const w = new BatchWindow({ quietPeriodMs: 1000 });
    w.observe(file('/d/big.log', 100, 1), 0);
    w.observe(file('/d/big.log', 200, 2), 900);
    expect(w.takeDue(1500)).toEqual([]);
    w.observe(file('/d/big.log', 200, 2), 1500); // unchanged: no restart
    expect(w.takeDue(1900)).toEqual(['/d/big.log']);
  });

  it('leaves an empty file pending until it has content', () => {
    const w = new BatchWindow({ quietPeriodMs: 1000 });
    w.observe(file('/d/new.log', 0), 0);
    expect(w.takeDue(5000)).toEqual([]);
    expect(w.pendingCount).toBe(1);
    w.observe(file('/d/new.log', 50, 2), 6000);
    expect(w.takeDue(7000)).toEqual(['/d/new.log']);
  });

  it('ignores files present at startup and files already batched, unless they change', () => {
    const w = new BatchWindow({ quietPeriodMs: 1000 });
    w.baseline([file('/d/old.log', 10)]);
    w.observe(file('/d/old.log', 10), 0);
    expect(w.dueAt()).toBeUndefined();
    w.observe(file('/d/x.log', 10), 0);
    expect(w.takeDue(1000)).toEqual(['/d/x.log']);
    w.observe(file('/d/x.log', 10), 2000);
    expect(w.dueAt()).toBeUndefined();
    w.observe(file('/d/x.log', 20, 5), 3000);
    expect(w.takeDue(4000)).toEqual(['/d/x.log']);
  });

  it('drops a pending file that disappeared', () => {
    const w = new BatchWindow({ quietPeriodMs: 1000 });
    w.observe(file('/d/a.log', 10), 0);
    w.forget('/d/a.log');
    expect(w.takeDue(5000)).toEqual([]);
  });

  it.each([
    ['.hidden.log', true],
    ['app.log.tmp', true],
    ['app.log.part', true],
    ['download.crdownload', true],
    ['app.log~', true],
    ['app.log', false],
    ['access-2026-11-27.log.gz', false],
  ])('treats %s as ignored=%s', (name, ignored) => {
    expect(isIgnoredName(name, DEFAULTS.watch.ignoreNamePatterns)).toBe(ignored);
  });
});
