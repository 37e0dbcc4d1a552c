import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderStore } from '../../../lib/adapters/folder-store';
import { decodeCursor, encodeCursor, findLatestRunId, pageOfRuns, publishLatest } from '../../../lib/core/api/runs';
import { ALL_RUNS_NEWEST_FIRST, LATEST_RUN, OLD_RUN, writeResultsRoot } from './results-root-fixture';

describe('runs of a results root', () => {
  let root: string;
  let store: FolderStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lp-runs-'));
    await writeResultsRoot(root);
    store = new FolderStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('pages one run at a time through every run exactly once, newest first', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await pageOfRuns(store, { limit: 1, after });
      seen.push(...page.runs.map((r) => r.runId));
      if (!page.nextCursor) break;
      after = decodeCursor(page.nextCursor);
    }
    expect(seen).toEqual(ALL_RUNS_NEWEST_FIRST);
  });

  it('ignores stray folders that are not run ids', async () => {
    await store.put('runs/.DS_Store', 'x');
    await store.put('runs/not a run/manifest.json', '{}');
    const page = await pageOfRuns(store, { limit: 100 });
    expect(page.runs.map((r) => r.runId)).toEqual(ALL_RUNS_NEWEST_FIRST);
  });

  it('round-trips cursors and refuses forged ones', () => {
    expect(decodeCursor(encodeCursor(LATEST_RUN))).toBe(LATEST_RUN);
    expect(decodeCursor(Buffer.from('../../x').toString('base64url'))).toBeUndefined();
    expect(decodeCursor('%%%')).toBeUndefined();
  });

  it('moves latest.json only to a succeeded run that finished no earlier than the current latest', async () => {
    // Given the newest succeeded run is LATEST_RUN (finished 2026-11-27)
    expect(await findLatestRunId(store)).toBe(LATEST_RUN);
    // When an older run is published late, the pointer stays
    expect(await publishLatest(store, OLD_RUN)).toBe(false);
    // When a newer run succeeds, the pointer moves to it
    const newer = '20261129T080000Z-eee555';
    const manifest = JSON.parse((await store.get(`runs/${LATEST_RUN}/manifest.json`))!.toString());
    await store.put(`runs/${newer}/manifest.json`, JSON.stringify({ ...manifest, runId: newer, finishedAt: '2026-11-29T08:03:00.000Z' }));
    expect(await publishLatest(store, newer)).toBe(true);
    expect(JSON.parse((await store.get('latest.json'))!.toString())).toEqual({ runId: newer });
    expect(await findLatestRunId(store)).toBe(newer);
  });
});
