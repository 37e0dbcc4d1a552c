/**
 * The EventBridge events deploy-refresh accepts, delivered to Lambda directly by the Triggers rules:
 * - CodeDeploy `CodeDeploy Deployment State-change Notification` with `state: SUCCESS`;
 * - Loadprint's own `Deployment Completed` (source `loadprint`), for pipelines that do not use
 *   CodeDeploy: `{"deploymentId": "...", "service"?: "...", "version"?: "...", "completedAt"?: ISO}`;
 * - `Scheduled Event` from the optional schedule rule.
 */
import { asRecord, check, stringField, timeField } from '../../lib/adapters/middy-validate-event';

export type RefreshEvent =
  | { readonly kind: 'deploy'; readonly deploymentId: string; readonly completedAt: number; readonly detail: Record<string, string> }
  | { readonly kind: 'schedule'; readonly tick: number };

export const CODEDEPLOY_SOURCE = 'aws.codedeploy';
export const CODEDEPLOY_DETAIL_TYPE = 'CodeDeploy Deployment State-change Notification';
export const LOADPRINT_SOURCE = 'loadprint';
export const DEPLOYMENT_COMPLETED = 'Deployment Completed';
export const SCHEDULED_EVENT = 'Scheduled Event';

/** Detail fields copied into the run's trigger (short strings only: they end up in the manifest). */
const CODEDEPLOY_FIELDS = ['application', 'deploymentGroup', 'region'] as const;
const LOADPRINT_FIELDS = ['service', 'version', 'environment'] as const;
const MAX_FIELD_LENGTH = 128;

function pick(detail: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = detail[f];
    if (typeof v === 'string' && v !== '') out[f] = v.slice(0, MAX_FIELD_LENGTH);
  }
  return out;
}

export function parseRefreshEvent(raw: unknown): RefreshEvent {
  const e = asRecord(raw, 'event');
  const source = stringField(e, 'source', 'event');
  const detailType = stringField(e, 'detail-type', 'event');
  const time = timeField(e, 'time', 'event');
  const detail = asRecord(e['detail'] ?? {}, 'event.detail');

  if (source === CODEDEPLOY_SOURCE && detailType === CODEDEPLOY_DETAIL_TYPE) {
    check(detail['state'] === 'SUCCESS', `event.detail.state must be SUCCESS, got ${JSON.stringify(detail['state'])}`);
    return {
      kind: 'deploy',
      deploymentId: stringField(detail, 'deploymentId', 'event.detail'),
      completedAt: time,
      detail: pick(detail, CODEDEPLOY_FIELDS),
    };
  }
  if (source === LOADPRINT_SOURCE && detailType === DEPLOYMENT_COMPLETED) {
    const completedAt = detail['completedAt'] === undefined ? time : timeField(detail, 'completedAt', 'event.detail');
    return {
      kind: 'deploy',
      deploymentId: stringField(detail, 'deploymentId', 'event.detail'),
      completedAt,
      detail: pick(detail, LOADPRINT_FIELDS),
    };
  }
  check(detailType === SCHEDULED_EVENT, `event ${source} / ${detailType} is not a deploy or a schedule tick`);
  return { kind: 'schedule', tick: time };
}
