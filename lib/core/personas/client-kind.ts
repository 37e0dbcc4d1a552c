/**
 * Client kinds, decided by rule before clustering, each then clustered on its own. Machines (HTTP
 * libraries, API-only sessions without page assets) differ from browsers on many features at once
 * (API share, user agent, assets, think regularity); clustered together, that one difference dominates
 * the silhouette and `--k auto` stops at "machines vs people", merging every human persona into one.
 * Splitting first asks the silhouette the question that matters inside each kind (which behaviours do
 * browsers show?), and each kind is standardised with its own ruler. The rule is the same in JS
 * (sample, tests) and SQL (every session); bots come before it (label-bots.ts).
 */
import { cleanValue, type FeatureColumns } from './feature-space';
import { doubleLiteral, featureColumnSql } from './sql-literals';

export type ClientKind = 'machine' | 'browser' | 'all';

/** The thresholds of the kind rule, kept in the fit so assignment uses the fit's own rule. */
export interface ClientKindRule {
  readonly machineUaMin: number;
  readonly apiShareMin: number;
  readonly assetRatioMax: number;
  /** False when the sample had no `machine_ua` column: the rule then rests on API share and assets. */
  readonly usesMachineUa: boolean;
}

export function describeKindRule(rule: ClientKindRule): string {
  const which = rule.usesMachineUa ? `an HTTP-library user agent or API-only pages (API share >= ${rule.apiShareMin})` : `API-only pages (API share >= ${rule.apiShareMin})`;
  return `machine: no page assets (asset ratio <= ${rule.assetRatioMax}) and ${which}; browser: every other non-bot session`;
}

/**
 * Machine clients fetch no page assets AND show a machine trait (HTTP-library user agent or API-only
 * pages). Assets come first: a session that loads scripts and images is a browser whatever its user
 * agent claims (in-app web views and proxies rewrite user agents).
 */
export function isMachineSession(rule: ClientKindRule, machineUa: number | undefined, apiShare: number | undefined, assetRatio: number | undefined): boolean {
  if (!(cleanValue(assetRatio) <= rule.assetRatioMax)) return false;
  if (rule.usesMachineUa && cleanValue(machineUa) >= rule.machineUaMin) return true;
  return cleanValue(apiShare) >= rule.apiShareMin;
}

/** 1 for machine rows, 0 for browsers. */
export function machineMask(rule: ClientKindRule, columns: FeatureColumns, n: number): Uint8Array {
  const mask = new Uint8Array(n);
  const ua = columns['machine_ua'];
  const api = columns['api_share'];
  const assets = columns['asset_ratio'];
  for (let i = 0; i < n; i++) mask[i] = isMachineSession(rule, ua?.[i], api?.[i], assets?.[i]) ? 1 : 0;
  return mask;
}

/** The machine rule as one portable SQL condition. */
export function machineConditionSql(rule: ClientKindRule): string {
  const assets = `${featureColumnSql('asset_ratio')} <= ${doubleLiteral(rule.assetRatioMax)}`;
  const api = `${featureColumnSql('api_share')} >= ${doubleLiteral(rule.apiShareMin)}`;
  const trait = rule.usesMachineUa ? `(${featureColumnSql('machine_ua')} >= ${doubleLiteral(rule.machineUaMin)} OR ${api})` : api;
  return `(${assets} AND ${trait})`;
}
