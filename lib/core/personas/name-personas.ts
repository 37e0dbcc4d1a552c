/**
 * Names personas from what their sessions do, never from cluster numbers. Ordered rules run over each
 * cluster's centre in original units (pages, seconds, shares); the first that holds names the cluster
 * and its conditions become the evidence, written as sentences with the measured value and the
 * threshold (thresholds: config.ts `personas.naming`). Rule order goes from the most specific
 * behaviour to the most common one:
 *   1. api_consumer   at least two of: machine-regular think times, API paths, HTTP-library user agents
 *                     (two, so an SPA calling /api/ with human pauses stays a human persona)
 *   2. scraper        undeclared client that is regular, fast, deep and skips page assets
 *   3. buyer          checkout-like endpoints, or writes with some of them
 *   4. writer         writes without checkout-like endpoints (web-mail, forums, forms: not a shop)
 *   5. power_user     deep sessions
 *   6. casual_browser everything shallower
 * Bots are named by their own rule (labelled before clustering). When two clusters earn the same name,
 * each is qualified by the feature that sets it apart from its namesakes (`power_user_fast`,
 * `power_user_slow`), with that difference added to its evidence.
 */
import type { Evidence } from '../types';
import { fmt, pct } from './format';
import type { FeatureTransform } from './feature-space';
import { centreInOriginalUnits } from './feature-space';
import type { NamingThresholds } from './persona-config';
import { BOT_PERSONA } from './label-bots';

export interface ClusterProfile {
  /** Centre in the standardised space. */
  readonly center: readonly number[];
  /** Centre in original units, keyed by feature column. */
  readonly centroid: Readonly<Record<string, number>>;
}

export interface PersonaName {
  readonly name: string;
  readonly rule: string;
  readonly evidence: Evidence[];
}

type Op = '>=' | '<=' | '<' | '>';

function holds(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
    case '>':
      return value > threshold;
  }
}

function evidence(feature: string, value: number, op: Op, threshold: number, says: string): Evidence {
  return { feature, value, condition: `${op} ${fmt(threshold)}`, says };
}

interface Check {
  readonly feature: string;
  readonly op: Op;
  readonly threshold: number;
  /** Sentence for the evidence, given the measured value. */
  readonly says: (value: number) => string;
}

/** Evaluates a check against a centroid: the evidence if it holds, else undefined (or if unmeasured). */
function test(centroid: Readonly<Record<string, number>>, check: Check): Evidence | undefined {
  const value = centroid[check.feature];
  if (value === undefined || !holds(value, check.op, check.threshold)) return undefined;
  return evidence(check.feature, value, check.op, check.threshold, check.says(value));
}

interface Rule {
  readonly name: string;
  readonly rule: string;
  readonly fire: (centroid: Readonly<Record<string, number>>) => Evidence[] | undefined;
}

function allOf(...checks: Check[]): (c: Readonly<Record<string, number>>) => Evidence[] | undefined {
  return (c) => {
    const found = checks.map((check) => test(c, check));
    return found.every((e) => e !== undefined) ? (found as Evidence[]) : undefined;
  };
}

function atLeast(count: number, ...checks: Check[]): (c: Readonly<Record<string, number>>) => Evidence[] | undefined {
  return (c) => {
    const found = checks.map((check) => test(c, check)).filter((e): e is Evidence => e !== undefined);
    return found.length >= count ? found : undefined;
  };
}

/** The first of `fires` that holds, with its evidence. */
function firstOf(...fires: Rule['fire'][]): Rule['fire'] {
  return (c) => {
    for (const fire of fires) {
      const found = fire(c);
      if (found) return found;
    }
    return undefined;
  };
}

function rules(t: NamingThresholds): Rule[] {
  const regular: Check = {
    feature: 'think_cv',
    op: '<=',
    threshold: t.machineThinkCvMax,
    says: (v) => `think times are machine-regular (coefficient of variation ${fmt(v)}; people vary around 1)`,
  };
  const api: Check = {
    feature: 'api_share',
    op: '>=',
    threshold: t.apiShareMin,
    says: (v) => `${pct(v)} of pages are API calls`,
  };
  const machineUa: Check = {
    feature: 'machine_ua',
    op: '>=',
    threshold: t.machineUaShareMin,
    says: (v) => `${pct(v)} of sessions use an HTTP-library user agent (curl, python-requests, okhttp, ...)`,
  };
  const writes: Check = {
    feature: 'write_ratio',
    op: '>=',
    threshold: t.writeRatioMin,
    says: (v) => `${pct(v)} of pages are writes (POST/PUT/PATCH/DELETE)`,
  };
  const checkoutPages = (op: Op, threshold: number): Check => ({
    feature: 'checkout_share',
    op,
    threshold,
    says: (v) => `${pct(v)} of pages are cart/checkout/order/payment endpoints`,
  });
  const deep = (min: number): Check => ({
    feature: 'pages',
    op: '>=',
    threshold: min,
    says: (v) => `sessions are deep (${fmt(v)} pages typical)`,
  });
  return [
    {
      name: 'api_consumer',
      rule: 'api_consumer: at least two of machine-regular think times, API paths, machine user agents',
      fire: atLeast(2, regular, api, machineUa),
    },
    {
      name: 'scraper',
      rule: 'scraper: undeclared client with regular, fast think times, deep sessions and no page assets',
      fire: allOf(
        regular,
        { feature: 'think_median_s', op: '<=', threshold: t.scraperThinkMaxSeconds, says: (v) => `pages follow each other faster than people read (median think ${fmt(v)} s)` },
        deep(t.scraperMinPages),
        { feature: 'asset_ratio', op: '<=', threshold: t.scraperAssetRatioMax, says: (v) => `page assets are skipped (${pct(v)} of requests are assets)` },
      ),
    },
    {
      name: 'buyer',
      rule: 'buyer: checkout-like endpoints, or writes with some of them',
      fire: firstOf(
        allOf(writes, checkoutPages('>=', t.buyerCheckoutShareMin)),
        allOf(checkoutPages('>=', t.buyerCheckoutShareMin)),
        allOf(writes, checkoutPages('>=', t.buyerCheckoutWithWritesMin)),
      ),
    },
    {
      // Sending mail, posting, saving forms: writing is not buying where nothing looks like a checkout.
      name: 'writer',
      rule: 'writer: writes without checkout-like endpoints',
      fire: allOf(writes, checkoutPages('<', t.buyerCheckoutWithWritesMin)),
    },
    { name: 'power_user', rule: 'power_user: deep sessions', fire: allOf(deep(t.deepSessionMinPages)) },
    {
      name: 'casual_browser',
      rule: 'casual_browser: short, shallow sessions',
      fire: allOf({
        feature: 'pages',
        op: '<',
        threshold: t.deepSessionMinPages,
        says: (v) => `sessions are short (${fmt(v)} pages typical)`,
      }),
    },
  ];
}

/** Words that qualify a duplicate name, per feature: [lower than its namesakes, higher]. */
const QUALIFIERS: Readonly<Record<string, readonly [string, string]>> = {
  pages: ['shallow', 'deep'],
  unique_endpoints: ['focused', 'exploring'],
  think_median_s: ['fast', 'slow'],
  think_cv: ['regular', 'irregular'],
  requests_per_minute: ['unhurried', 'rapid'],
  write_ratio: ['read_only', 'writing'],
  checkout_share: ['browsing', 'checkout'],
  api_share: ['web', 'api'],
  asset_ratio: ['no_assets', 'asset_heavy'],
  machine_ua: ['browser_ua', 'machine_ua'],
};

function qualifier(column: string, higher: boolean): string {
  const words = QUALIFIERS[column];
  if (words) return higher ? words[1] : words[0];
  return `${column}_${higher ? 'high' : 'low'}`;
}

/** Base names of the rules that find a program behind the traffic, where its agent did not say so. */
const MACHINE_NAMES = ['api_consumer', 'scraper'];

/** Who sends a persona's traffic: a declared bot, another program (by its behaviour), or people. */
export function clientOf(persona: { readonly name: string; readonly isBot: boolean }): 'bot' | 'machine' | 'people' {
  if (persona.isBot) return 'bot';
  // A duplicate name is qualified as `<base>_<word>` (qualifyGroup).
  return MACHINE_NAMES.some((base) => persona.name === base || persona.name.startsWith(`${base}_`)) ? 'machine' : 'people';
}

/** Base name, rule and evidence of one cluster. */
export function nameCluster(profile: ClusterProfile, thresholds: NamingThresholds): PersonaName {
  for (const r of rules(thresholds)) {
    const found = r.fire(profile.centroid);
    if (found) return { name: r.name, rule: r.rule, evidence: found };
  }
  // Unreachable for finite centroids: casual_browser and power_user partition `pages`.
  return { name: 'casual_browser', rule: 'casual_browser: no other rule held', evidence: [] };
}

/** Names every cluster; names come out unique. */
export function namePersonas(profiles: readonly ClusterProfile[], transform: FeatureTransform, thresholds: NamingThresholds): PersonaName[] {
  const base = profiles.map((p) => nameCluster(p, thresholds));
  const result: PersonaName[] = [...base];
  const taken = new Set<string>([BOT_PERSONA]);
  const groups = new Map<string, number[]>();
  base.forEach((b, i) => groups.set(b.name, [...(groups.get(b.name) ?? []), i]));
  for (const [name, members] of groups) {
    if (members.length === 1) {
      taken.add(name);
      continue;
    }
    qualifyGroup(name, members, profiles, transform, result, taken);
  }
  return result;
}

/**
 * Qualifies namesakes: each member takes the feature on which it deviates most from the group's mean
 * centre (in standard deviations); members that would still collide try their next feature; only if
 * every feature collides does a size-rank suffix remain.
 */
function qualifyGroup(
  name: string,
  members: readonly number[],
  profiles: readonly ClusterProfile[],
  transform: FeatureTransform,
  result: PersonaName[],
  taken: Set<string>,
): void {
  const dims = transform.features.length;
  const mean = new Array<number>(dims).fill(0);
  for (const m of members) for (let j = 0; j < dims; j++) mean[j]! += profiles[m]!.center[j]! / members.length;
  const groupCentroid = centreInOriginalUnits(transform, mean);
  members.forEach((m, rank) => {
    const center = profiles[m]!.center;
    const order = Array.from({ length: dims }, (_, j) => j).sort(
      (a, b) => Math.abs(center[b]! - mean[b]!) - Math.abs(center[a]! - mean[a]!) || a - b,
    );
    let chosen: { name: string; j: number } | undefined;
    for (const j of order) {
      const candidate = `${name}_${qualifier(transform.features[j]!.column, center[j]! > mean[j]!)}`;
      if (!taken.has(candidate)) {
        chosen = { name: candidate, j };
        break;
      }
    }
    const previous = result[m]!;
    if (chosen === undefined) {
      const fallback = `${name}_${rank + 1}`;
      taken.add(fallback);
      result[m] = { ...previous, name: fallback };
      return;
    }
    taken.add(chosen.name);
    const column = transform.features[chosen.j]!.column;
    const value = profiles[m]!.centroid[column] ?? 0;
    const others = groupCentroid[column] ?? 0;
    const higher = center[chosen.j]! > mean[chosen.j]!;
    result[m] = {
      name: chosen.name,
      rule: `${previous.rule}; qualified by ${column}, where it differs most from the other ${name} personas`,
      evidence: [
        ...previous.evidence,
        evidence(column, value, higher ? '>' : '<', others, `${column} is ${higher ? 'higher' : 'lower'} than in the other ${name} personas (${fmt(value)} vs ${fmt(others)})`),
      ],
    };
  });
}

/** What the bot persona's name rests on, measured over the sample's bot sessions. */
export interface BotStats {
  readonly sessions: number;
  readonly botUaShare: number;
  readonly robotsShare: number;
}

export function nameBotPersona(stats: BotStats): PersonaName {
  const rule = `${BOT_PERSONA}: declared bot user agent or robots.txt/sitemap requests (labelled before clustering)`;
  if (stats.sessions === 0) {
    return {
      name: BOT_PERSONA,
      rule,
      evidence: [
        evidence('bot_sessions', 0, '>', 0, 'no bot sessions in the fit sample; the rule still labels any session that declares a bot or reads robots.txt'),
      ],
    };
  }
  return {
    name: BOT_PERSONA,
    rule,
    evidence: [
      evidence('bot_ua_share', stats.botUaShare, '>', 0, `${pct(stats.botUaShare)} of these sessions declare a known bot user agent`),
      evidence('robots_share', stats.robotsShare, '>', 0, `${pct(stats.robotsShare)} of these sessions request robots.txt or a sitemap`),
    ],
  };
}
