/**
 * Synthetic per-session feature rows with known personas, for the persona tests. Each session is
 * simulated page by page (think gaps, assets, writes, API calls) and its features are computed the way
 * the features SQL computes them, so think-time statistics have realistic noise and heavy tails (long
 * pauses, very long API sessions, browsers that skip assets from cache, integrations with custom UAs).
 * The five behaviours match the traffic generator's ground truth.
 */
import type { FeatureColumns } from '../../../lib/core/personas/feature-space';
import { seededRandom } from '../../../lib/core/personas/random';

export type TruePersona = 'casual_browser' | 'power_user' | 'buyer' | 'api_consumer' | 'bot_crawler';

export const TRUE_PERSONAS: readonly TruePersona[] = ['casual_browser', 'power_user', 'buyer', 'api_consumer', 'bot_crawler'];

export interface SyntheticSessions {
  columns: FeatureColumns;
  truth: TruePersona[];
  n: number;
}

const COLUMNS = [
  'requests', 'pages', 'unique_endpoints', 'mean_response_ms', 'duration_s', 'error_rate', 'write_ratio',
  'think_mean_s', 'think_median_s', 'think_cv', 'asset_ratio', 'requests_per_minute', 'api_share',
  'checkout_share', 'robots_hits', 'night_share', 'is_bot_ua', 'machine_ua',
] as const;

interface Rng {
  u(): number;
  int(lo: number, hi: number): number;
  normal(): number;
  logNormal(median: number, sigma: number): number;
  chance(p: number): boolean;
}

function rng(seed: number): Rng {
  const random = seededRandom(seed);
  const r: Rng = {
    u: random,
    int: (lo, hi) => lo + Math.floor(random() * (hi - lo + 1)),
    normal: () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
    logNormal: (median, sigma) => median * Math.exp(sigma * r.normal()),
    chance: (p) => random() < p,
  };
  return r;
}

interface Behaviour {
  pages(r: Rng): number;
  /** One think gap in seconds. */
  gap(r: Rng, base: number): number;
  /** Per-session pace (median gap). */
  pace(r: Rng): number;
  assetsPerPage(r: Rng, page: number): number;
  write(r: Rng): boolean;
  checkout(r: Rng, wrote: boolean): boolean;
  api(r: Rng): boolean;
  endpoints(r: Rng, pages: number): number;
  responseMs(r: Rng): number;
  errorP: number;
  robots(r: Rng): number;
  botUa(r: Rng): number;
  machineUa(r: Rng): number;
}

/** People: log-normal gaps (cv ~1) with the occasional long pause (phone call, other tab). */
const humanGap = (r: Rng, base: number): number => (r.chance(0.03) ? r.logNormal(240, 0.6) : r.logNormal(base, 0.85));

const BEHAVIOURS: Record<TruePersona, Behaviour> = {
  casual_browser: {
    pages: (r) => r.int(2, 6),
    pace: (r) => r.logNormal(20, 0.35),
    gap: humanGap,
    assetsPerPage: (r, page) => (page === 0 ? r.int(6, 14) : r.chance(0.5) ? r.int(0, 4) : 0),
    write: (r) => r.chance(0.02),
    checkout: (r) => r.chance(0.03),
    api: (r) => r.chance(0.03),
    endpoints: (r, pages) => Math.max(1, pages - r.int(0, 1)),
    responseMs: (r) => r.logNormal(140, 0.6),
    errorP: 0.02,
    robots: () => 0,
    botUa: () => 0,
    machineUa: (r) => (r.chance(0.01) ? 1 : 0),
  },
  power_user: {
    pages: (r) => r.int(15, 40),
    pace: (r) => r.logNormal(8, 0.35),
    gap: humanGap,
    assetsPerPage: (r, page) => (page === 0 ? r.int(6, 14) : r.chance(0.4) ? r.int(0, 3) : 0),
    write: (r) => r.chance(0.04),
    checkout: (r) => r.chance(0.02),
    api: (r) => r.chance(0.12),
    endpoints: (r, pages) => Math.min(pages, r.int(6, 16)),
    responseMs: (r) => r.logNormal(180, 0.6),
    errorP: 0.02,
    robots: () => 0,
    botUa: () => 0,
    machineUa: (r) => (r.chance(0.01) ? 1 : 0),
  },
  buyer: {
    pages: (r) => r.int(5, 16),
    pace: (r) => r.logNormal(15, 0.35),
    gap: humanGap,
    assetsPerPage: (r, page) => (page === 0 ? r.int(6, 14) : r.chance(0.5) ? r.int(0, 4) : 0),
    write: (r) => r.chance(0.3),
    checkout: (r, wrote) => (wrote ? r.chance(0.85) : r.chance(0.2)),
    api: (r) => r.chance(0.05),
    endpoints: (r, pages) => Math.min(pages, r.int(4, 10)),
    responseMs: (r) => r.logNormal(260, 0.6),
    errorP: 0.03,
    robots: () => 0,
    botUa: () => 0,
    machineUa: (r) => (r.chance(0.01) ? 1 : 0),
  },
  api_consumer: {
    pages: (r) => Math.min(2000, Math.round(10 * Math.exp(1.1 * Math.abs(r.normal())))),
    pace: (r) => r.logNormal(2, 0.3),
    // Scheduled clients: a fixed interval with small jitter (cv ~0.1).
    gap: (r, base) => Math.max(0.05, base * (1 + 0.1 * r.normal())),
    assetsPerPage: () => 0,
    write: (r) => r.chance(0.2),
    checkout: (r) => r.chance(0.1),
    api: (r) => r.chance(0.98),
    endpoints: (r, pages) => Math.min(pages, r.int(1, 6)),
    responseMs: (r) => r.logNormal(45, 0.5),
    errorP: 0.01,
    robots: () => 0,
    botUa: () => 0,
    // Most integrations use an HTTP library's UA; some send a custom one ("AcmeSync/2.1").
    machineUa: (r) => (r.chance(0.85) ? 1 : 0),
  },
  bot_crawler: {
    pages: (r) => r.int(5, 120),
    pace: (r) => 1 + 2 * r.u(),
    gap: (r, base) => Math.max(0.1, base * (1 + 0.45 * r.normal())),
    assetsPerPage: (r) => (r.chance(0.05) ? 1 : 0),
    write: () => false,
    checkout: () => false,
    api: (r) => r.chance(0.01),
    endpoints: (r, pages) => Math.min(pages, r.int(3, 30)),
    responseMs: (r) => r.logNormal(150, 0.7),
    errorP: 0.06,
    // Most crawlers fetch robots.txt and a sitemap; some only declare themselves.
    robots: (r) => (r.chance(0.8) ? r.int(1, 3) : 0),
    // Some fetch robots.txt with a generic UA (isbot does not match).
    botUa: (r) => (r.chance(0.9) ? 1 : 0),
    machineUa: () => 0,
  },
};

export const DEFAULT_MIX: Readonly<Record<TruePersona, number>> = {
  casual_browser: 0.45,
  power_user: 0.15,
  buyer: 0.12,
  api_consumer: 0.18,
  bot_crawler: 0.1,
};

function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `n` sessions drawn from `mix` (shares summing to 1) with a fixed seed; rows are shuffled. */
export function syntheticSessions(n: number, seed: number, mix: Partial<Record<TruePersona, number>> = DEFAULT_MIX): SyntheticSessions {
  const r = rng(seed);
  const columns: FeatureColumns = {};
  for (const c of COLUMNS) columns[c] = new Float64Array(n);
  const set = (c: (typeof COLUMNS)[number], i: number, v: number): void => {
    columns[c]![i] = v;
  };
  const entries = Object.entries(mix) as [TruePersona, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const truth: TruePersona[] = [];
  for (let i = 0; i < n; i++) {
    let pick = r.u() * total;
    let persona = entries[entries.length - 1]![0];
    for (const [p, w] of entries) {
      if (pick < w) {
        persona = p;
        break;
      }
      pick -= w;
    }
    truth.push(persona);
    const b = BEHAVIOURS[persona];
    const pages = b.pages(r);
    const base = b.pace(r);
    const gaps: number[] = [];
    for (let g = 0; g < pages - 1; g++) gaps.push(b.gap(r, base));
    let assets = 0;
    let writes = 0;
    let checkouts = 0;
    let apis = 0;
    let rt = 0;
    let errors = 0;
    for (let p = 0; p < pages; p++) {
      assets += b.assetsPerPage(r, p);
      const wrote = b.write(r);
      if (wrote) writes++;
      if (b.checkout(r, wrote)) checkouts++;
      if (b.api(r)) apis++;
      rt += b.responseMs(r);
      if (r.chance(b.errorP)) errors++;
    }
    const robots = b.robots(r);
    const requests = pages + assets + robots;
    const duration = gaps.reduce((s, g) => s + g, 0) + rt / 1000;
    const thinkMean = gaps.length > 0 ? gaps.reduce((s, g) => s + g, 0) / gaps.length : 0;
    const sd = gaps.length > 1 ? Math.sqrt(gaps.reduce((s, g) => s + (g - thinkMean) ** 2, 0) / (gaps.length - 1)) : 0;
    set('requests', i, requests);
    set('pages', i, pages);
    set('unique_endpoints', i, b.endpoints(r, pages));
    set('mean_response_ms', i, rt / pages);
    set('duration_s', i, duration);
    set('error_rate', i, errors / requests);
    set('write_ratio', i, writes / pages);
    set('think_mean_s', i, thinkMean);
    set('think_median_s', i, median([...gaps].sort((a, b2) => a - b2)));
    set('think_cv', i, thinkMean > 0 ? sd / thinkMean : 0);
    set('asset_ratio', i, assets / requests);
    set('requests_per_minute', i, (requests / Math.max(duration, 1)) * 60);
    set('api_share', i, apis / pages);
    set('checkout_share', i, checkouts / pages);
    set('robots_hits', i, robots);
    set('night_share', i, r.chance(0.2) ? r.u() : 0);
    set('is_bot_ua', i, b.botUa(r));
    set('machine_ua', i, b.machineUa(r));
  }
  return { columns, truth, n };
}

/** The rows at `indices`, as a new column set. */
export function pickRows(columns: FeatureColumns, indices: readonly number[]): FeatureColumns {
  const out: FeatureColumns = {};
  for (const [name, col] of Object.entries(columns)) out[name] = Float64Array.from(indices, (i) => col[i]!);
  return out;
}

/** One row as a plain object (what `assignSession` takes). */
export function rowAt(columns: FeatureColumns, i: number): Record<string, number> {
  const row: Record<string, number> = {};
  for (const [name, col] of Object.entries(columns)) row[name] = col[i]!;
  return row;
}
