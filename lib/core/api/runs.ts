/**
 * The runs of a results root, read through a ResultsStore: which runs exist (newest first, a page
 * at a time), which one `latest` means, and the request records POST /runs leaves behind so a run
 * has a status before its pipeline has written a manifest.
 *
 * Layout: `runs/<runId>/manifest.json` (written by the pipeline), `requests/<runId>.json` (written
 * here on POST /runs), `latest.json` = `{"runId": ...}` (written on publish; a hint, checked).
 */
import type { ReadingFlags } from '../ingest/reading-options';
import type { IsoTime, Manifest, ResultsStore } from '../types';
import { isRunId } from './ids';
import { UnsafeKeyError } from './store-key';

export const RUNS_PREFIX = 'runs/';
export const REQUESTS_PREFIX = 'requests/';
export const LATEST_POINTER_KEY = 'latest.json';

export const runKey = (runId: string, file: string): string => `${RUNS_PREFIX}${runId}/${file}`;
export const requestKey = (runId: string): string => `${REQUESTS_PREFIX}${runId}.json`;

/** What POST /runs records: the run's status until (or unless) its manifest exists. */
export interface RunRequestRecord {
  runId: string;
  /** `pending` until the manifest takes over; `failed` when the run died before writing one. */
  status: 'pending' | 'failed' | 'rejected';
  requestedAt: IsoTime;
  inputs: string[];
  /** The reading options the run was asked for (POST /runs `options`). */
  options?: Partial<ReadingFlags>;
  error?: { message: string };
}

/** One row of GET /runs. */
export interface RunSummary {
  runId: string;
  status: Manifest['status'] | RunRequestRecord['status'];
  createdAt: IsoTime | null;
  finishedAt: IsoTime | null;
  sessions: number | null;
}

export interface RunsPage {
  runs: RunSummary[];
  /** Pass back as `?cursor=` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Parses JSON stored by us or the pipeline; undefined for a missing or unreadable object. */
export async function readJson<T>(store: ResultsStore, key: string): Promise<T | undefined> {
  let body: Buffer | undefined;
  try {
    body = await store.get(key);
  } catch (e: unknown) {
    if (e instanceof UnsafeKeyError) return undefined; // e.g. a run folder symlinked out of the root
    throw e;
  }
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined; // a half-migrated or hand-edited file: treat as absent rather than fail the listing
  }
}

export const readManifest = (store: ResultsStore, runId: string): Promise<Manifest | undefined> =>
  readJson<Manifest>(store, runKey(runId, 'manifest.json'));

export const readRequest = (store: ResultsStore, runId: string): Promise<RunRequestRecord | undefined> =>
  readJson<RunRequestRecord>(store, requestKey(runId));

/**
 * Every run id in the root, newest first. Run ids start with their UTC start time, so a reverse
 * lexical sort is newest first without reading one manifest per run; ids that are not valid run
 * ids (stray folders, temp files) are skipped.
 */
export async function listRunIds(store: ResultsStore): Promise<string[]> {
  const [folders, requests] = await Promise.all([store.list(RUNS_PREFIX), store.list(REQUESTS_PREFIX)]);
  const ids = new Set(folders.filter(isRunId));
  for (const name of requests) {
    const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (isRunId(id)) ids.add(id);
  }
  return [...ids].sort().reverse();
}

export function encodeCursor(runId: string): string {
  return Buffer.from(runId, 'utf8').toString('base64url');
}

/** The run id a cursor stands for, or undefined when it is not one we issued. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return isRunId(id) ? id : undefined;
}

async function summarize(store: ResultsStore, runId: string): Promise<RunSummary | undefined> {
  const manifest = await readManifest(store, runId);
  if (manifest) {
    return {
      runId,
      status: manifest.status,
      createdAt: manifest.createdAt ?? null,
      finishedAt: manifest.finishedAt ?? null,
      sessions: typeof manifest.sessions === 'number' ? manifest.sessions : null,
    };
  }
  const request = await readRequest(store, runId);
  if (request?.status === 'rejected') return undefined; // never started: not a run
  return {
    runId,
    status: request?.status ?? 'running', // a folder without manifest: the pipeline is still writing it
    createdAt: request?.requestedAt ?? null,
    finishedAt: null,
    sessions: null,
  };
}

/** One page of runs, newest first, starting after `cursor` (exclusive). */
export async function pageOfRuns(
  store: ResultsStore,
  page: { limit: number; after?: string | undefined },
): Promise<RunsPage> {
  const ids = await listRunIds(store);
  const after = page.after;
  const rest = after === undefined ? ids : ids.filter((id) => id < after);
  const runs: RunSummary[] = [];
  let i = 0;
  // Rejected requests are skipped, so read until the page is full rather than slicing blindly.
  for (; i < rest.length && runs.length < page.limit; i++) {
    const summary = await summarize(store, rest[i] as string);
    if (summary) runs.push(summary);
  }
  const last = runs[runs.length - 1];
  return { runs, nextCursor: i < rest.length && last ? encodeCursor(last.runId) : null };
}

/**
 * The newest successful run (latest `finishedAt` among manifests with status `succeeded`). The
 * `latest.json` pointer is trusted when it names a run whose manifest says succeeded; otherwise
 * every manifest is read.
 */
export async function findLatestRunId(store: ResultsStore): Promise<string | undefined> {
  const pointer = await readJson<{ runId?: unknown }>(store, LATEST_POINTER_KEY);
  if (typeof pointer?.runId === 'string' && isRunId(pointer.runId)) {
    const manifest = await readManifest(store, pointer.runId);
    if (manifest?.status === 'succeeded') return pointer.runId;
  }
  const ids = (await store.list(RUNS_PREFIX)).filter(isRunId);
  let best: { runId: string; finishedAt: string } | undefined;
  for (const runId of ids) {
    const m = await readManifest(store, runId);
    if (m?.status !== 'succeeded') continue;
    const finishedAt = m.finishedAt ?? m.createdAt ?? '';
    if (!best || finishedAt > best.finishedAt || (finishedAt === best.finishedAt && runId > best.runId)) {
      best = { runId, finishedAt };
    }
  }
  return best?.runId;
}

/**
 * Points `latest.json` at `runId` if its manifest says succeeded and it finished no earlier than
 * the run the pointer names now (two runs can finish out of order). Returns whether it moved.
 */
export async function publishLatest(store: ResultsStore, runId: string): Promise<boolean> {
  const manifest = await readManifest(store, runId);
  if (manifest?.status !== 'succeeded') return false;
  const current = await findLatestRunId(store);
  if (current && current !== runId) {
    const other = await readManifest(store, current);
    const mine = manifest.finishedAt ?? manifest.createdAt;
    const theirs = other?.finishedAt ?? other?.createdAt ?? '';
    if (mine < theirs) return false;
  }
  await store.put(LATEST_POINTER_KEY, `${JSON.stringify({ runId })}\n`, 'application/json');
  return true;
}

/** Writes a run's request record (POST /runs, `loadprint watch`, or a starter reporting failure). */
export async function saveRequest(store: ResultsStore, record: RunRequestRecord): Promise<void> {
  await store.put(requestKey(record.runId), `${JSON.stringify(record, null, 2)}\n`, 'application/json; charset=utf-8');
}
