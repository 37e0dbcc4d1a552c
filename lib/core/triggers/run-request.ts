/**
 * What starts a profiling run in AWS: the state machine's input (`RunRequest`), and the pure rules
 * that turn a trigger (a burst of S3 log drops, a deploy, a schedule tick) into one. The rules make
 * the request, and so the run id, a function of the trigger alone: every log file of the same window
 * yields the same request, and Step Functions refuses a second execution with the same name, so a
 * burst of files (or an SQS redelivery) starts one run, not one per file.
 */
import { formatRunId } from '../api/ids';
import { OptionError } from '../errors';
import type { IsoTime } from '../types';

export type RunTriggerSource = 's3' | 'deploy' | 'schedule' | 'api';

/**
 * The profiling state machine's input. Triggers (S3 batches, deploys, the schedule) send a window;
 * POST /runs sends explicit `inputs` (S3 prefixes) instead (see lib/adapters/sfn-run-starter.ts).
 */
export interface RunRequest {
  /** Also the Step Functions execution name (unique per state machine for 90 days). */
  readonly runId: string;
  readonly trigger?: { readonly source: RunTriggerSource; readonly detail: Readonly<Record<string, string>> };
  /** Log time to profile, end exclusive. */
  readonly window?: { readonly start: IsoTime; readonly end: IsoTime };
  /** Explicit S3 locations to profile (`s3://bucket/prefix` or a key prefix of the log bucket). */
  readonly inputs?: readonly string[];
  /** The workflow waits until then before reading logs (a deploy refresh waits for its window to be logged). */
  readonly notBefore?: IsoTime;
}

/** What the triggers build: always a window, a source and a time to start. */
export type TriggeredRunRequest = RunRequest & Required<Pick<RunRequest, 'trigger' | 'window' | 'notBefore'>>;

export interface TriggerTimings {
  readonly batchWindowSeconds: number;
  readonly settleSeconds: number;
  readonly deployWindowSeconds: number;
  readonly scheduleLookbackSeconds: number;
}

const iso = (epochSeconds: number): IsoTime => new Date(epochSeconds * 1000).toISOString();

function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new OptionError(`${name} must be a positive number of seconds, got ${value}`);
}

/**
 * The window a log file closes. A file whose log time is `t` proves the logs up to `t - settle` are
 * in; the newest whole batch window before that is closed and can be profiled. Every file with a log
 * time in the next batch window maps to the same closed window.
 */
export function closedWindowFor(logTime: number, t: Pick<TriggerTimings, 'batchWindowSeconds' | 'settleSeconds'>): { start: number; end: number } {
  requirePositive('batchWindowSeconds', t.batchWindowSeconds);
  const end = Math.floor((logTime - t.settleSeconds) / t.batchWindowSeconds) * t.batchWindowSeconds;
  return { start: end - t.batchWindowSeconds, end };
}

/** The request for an S3-triggered batch window (epoch seconds). Deterministic in the window. */
export function s3WindowRunRequest(window: { start: number; end: number }, settleSeconds: number): TriggeredRunRequest {
  const notBefore = window.end + settleSeconds;
  return {
    runId: formatRunId(new Date(notBefore * 1000), 's3'),
    trigger: { source: 's3', detail: {} },
    window: { start: iso(window.start), end: iso(window.end) },
    notBefore: iso(notBefore),
  };
}

/** Letters and digits of a deployment id, for a run-id suffix (CodeDeploy ids look like `d-AB12CD34E`). */
function idSuffix(deploymentId: string): string {
  const cleaned = deploymentId.replace(/[^A-Za-z0-9]/g, '').toLowerCase().slice(-24);
  if (cleaned.length === 0) throw new OptionError(`deployment id "${deploymentId}" has no letters or digits`);
  return cleaned;
}

/**
 * The refresh after a deploy: profile the traffic of the first `deployWindowSeconds` after it. The
 * logs do not exist yet when the deploy finishes, so the run waits until the window has been logged.
 */
export function deployRunRequest(
  deploy: { readonly deploymentId: string; readonly completedAt: number; readonly detail: Readonly<Record<string, string>> },
  t: Pick<TriggerTimings, 'deployWindowSeconds' | 'settleSeconds'>,
): TriggeredRunRequest {
  requirePositive('deployWindowSeconds', t.deployWindowSeconds);
  const end = deploy.completedAt + t.deployWindowSeconds;
  const notBefore = end + t.settleSeconds;
  return {
    runId: formatRunId(new Date(notBefore * 1000), `deploy${idSuffix(deploy.deploymentId)}`),
    trigger: { source: 'deploy', detail: { deploymentId: deploy.deploymentId, ...deploy.detail } },
    window: { start: iso(deploy.completedAt), end: iso(end) },
    notBefore: iso(notBefore),
  };
}

/** A scheduled run: the lookback window ending at the tick, once it has settled. */
export function scheduledRunRequest(tick: number, t: Pick<TriggerTimings, 'scheduleLookbackSeconds' | 'settleSeconds'>): TriggeredRunRequest {
  requirePositive('scheduleLookbackSeconds', t.scheduleLookbackSeconds);
  const notBefore = tick + t.settleSeconds;
  return {
    runId: formatRunId(new Date(notBefore * 1000), 'schedule'),
    trigger: { source: 'schedule', detail: {} },
    window: { start: iso(tick - t.scheduleLookbackSeconds), end: iso(tick) },
    notBefore: iso(notBefore),
  };
}
