/**
 * The demo world: the ground truth of a small e-commerce shop, written as a TrafficModel. Its five
 * personas are deliberately distinct (the clustering and naming must recover them, and the naming
 * rules are written against exactly these behaviours):
 *
 * - `casual_browser` (~50%): 2-6 GET pages over home, 8 literal categories and thousands of products;
 *   human think times (median ~20 s, cv ~1); pages load scripts, styles and images.
 * - `power_user` (~20%): deep logged-in sessions (15-40 pages) through search, products and compare,
 *   then account and orders, then wishlist and reviews; think median ~8 s.
 * - `buyer` (~15%): product -> add to cart -> cart -> checkout -> submit -> payment -> confirmation;
 *   a third of pages are writes; think median ~15 s.
 * - `api_consumer` (~10%): JSON API only, HTTP-library user agents, machine-regular think (~2 s, cv
 *   0.15), no assets, flat business-hours arrivals.
 * - `bot_crawler` (~5%): declared crawlers, robots.txt then sitemap.xml then pages every 1-3 s.
 *
 * Arrivals are hourly over `days` (default 7) with evening peaks, different weekends, a marketing-email
 * burst and a flash sale, so the dispersion index is well above 1. Derived figures (state shares,
 * session lengths, error rates) come from simulating the chain itself, so the model is self-consistent.
 */
import { EXIT_STATE } from '../types';
import type { Arrivals, Distribution, ModelState, PersonaModel, TrafficModel } from '../types';
import { lognormalDistribution, summarize, uniformDistribution } from './distribution';
import { Rng } from './rng';
import { simulateSessions } from './simulate';

export interface DemoWorldOptions {
  /** Days of traffic. @default 7 */
  days?: number;
  /** Start of the window (UTC). @default 2026-11-02T00:00:00Z, a Monday */
  start?: Date;
  /** Sessions in a 7-day week at nominal volume (scaled by days / 7). @default 20000 */
  weeklySessions?: number;
}

export const DEMO_PERSONAS = ['casual_browser', 'power_user', 'buyer', 'api_consumer', 'bot_crawler'] as const;
export type DemoPersona = (typeof DEMO_PERSONAS)[number];

export const DEMO_HOST = 'shop.example.com';
export const DEMO_START = new Date('2026-11-02T00:00:00.000Z');

/** The 8 category pages, with their popularity (literal segments: few values, never templated). */
export const DEMO_CATEGORIES: readonly (readonly [string, number])[] = [
  ['shoes', 0.24],
  ['bags', 0.18],
  ['jackets', 0.14],
  ['dresses', 0.12],
  ['watches', 0.1],
  ['jeans', 0.09],
  ['hats', 0.07],
  ['sneakers', 0.06],
];

/** Nominal share of sessions per persona (before arrival shapes and bursts move it a little). */
const NOMINAL_SHARE: Record<DemoPersona, number> = {
  casual_browser: 0.5,
  power_user: 0.2,
  buyer: 0.15,
  api_consumer: 0.1,
  bot_crawler: 0.05,
};

const APP = ['/static/app.js', '/static/app.css'];
const CALIBRATION_SESSIONS = 1_500;
const CALIBRATION_SEED = 20_261_102;

type Rt = readonly [p50: number, p90: number, p99: number];

function state(id: string, method: string, path: string, resources: string[], rt: Rt, errorRate: number, thinkTime?: Distribution): ModelState {
  const s: ModelState = {
    id,
    method,
    path,
    resources,
    share: 0,
    responseTimeMs: { p50: rt[0], p90: rt[1], p99: rt[2] },
    errorRate,
  };
  if (thinkTime) s.thinkTime = thinkTime;
  return s;
}

/** Spreads `total` probability over the categories by popularity (optionally leaving one out). */
function overCategories(total: number, prefix: string, except?: string): Record<string, number> {
  const cats = DEMO_CATEGORIES.filter(([c]) => c !== except);
  const sum = cats.reduce((a, [, w]) => a + w, 0);
  return Object.fromEntries(cats.map(([c, w]) => [`${prefix}${c}`, (total * w) / sum]));
}

// --- parameter pools ----------------------------------------------------------------------------

function shuffled<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function pools(): Record<'sku' | 'q' | 'ids' | 'orderId' | 'productId', string[]> {
  const rng = new Rng(7);
  const sku = shuffled(Array.from({ length: 4_000 }, (_, i) => `sku-${String(i + 1).padStart(4, '0')}`), rng);
  const adjectives = ['red', 'black', 'leather', 'waterproof', 'summer', 'winter', 'vintage', 'running', 'kids', 'slim',
    'wool', 'linen', 'canvas', 'suede', 'denim', 'silver', 'gold', 'travel', 'wide', 'classic'];
  const nouns = ['boots', 'sneakers', 'tote bag', 'backpack', 'jacket', 'raincoat', 'dress', 'watch', 'cap', 'jeans',
    'sandals', 'scarf', 'belt', 'wallet', 'parka'];
  const q = shuffled(adjectives.flatMap((a) => nouns.map((n) => `${a} ${n}`)), rng);
  const ids = Array.from({ length: 300 }, (_, i) => `${sku[(i * 7) % sku.length] ?? 'sku-0001'},${sku[(i * 13 + 5) % sku.length] ?? 'sku-0002'}`);
  const orderId = Array.from({ length: 3_000 }, () => String(rng.int(4_000_000, 4_999_999)));
  const productId = shuffled(Array.from({ length: 2_000 }, (_, i) => String(10_000 + i)), rng);
  return { sku, q, ids, orderId, productId };
}

// --- personas -----------------------------------------------------------------------------------

type Shape = Omit<PersonaModel, 'share' | 'sessions' | 'arrivals' | 'requestsPerSession' | 'durationSeconds' | 'errorRate' | 'writeRatio'>;

function casualBrowser(p: ReturnType<typeof pools>): Shape {
  const cats = DEMO_CATEGORIES.map(([c]) =>
    state(`cat_${c}`, 'GET', `/c/${c}`, [...APP, `/static/img/c/${c}.jpg`], [180, 450, 1200], 0.003),
  );
  const transitions: Record<string, Record<string, number>> = {
    home: { ...overCategories(0.76, 'cat_'), product: 0.2, [EXIT_STATE]: 0.04 },
    product: { product: 0.2, ...overCategories(0.3, 'cat_'), home: 0.08, [EXIT_STATE]: 0.42 },
  };
  for (const [c] of DEMO_CATEGORIES) {
    transitions[`cat_${c}`] = { product: 0.66, ...overCategories(0.16, 'cat_', c), home: 0.08, [EXIT_STATE]: 0.1 };
  }
  return {
    name: 'casual_browser',
    isBot: false,
    states: [
      state('home', 'GET', '/', [...APP, '/static/img/hero.jpg'], [120, 300, 800], 0.002),
      ...cats,
      state('product', 'GET', '/p/{sku}', [...APP, '/img/p/{sku}.jpg'], [150, 400, 1000], 0.01),
    ],
    entry: { home: 0.55, product: 0.08, ...overCategories(0.37, 'cat_') },
    transitions,
    thinkTime: lognormalDistribution(20, 1.0),
    params: { '{sku}': p.sku },
  };
}

function powerUser(p: ReturnType<typeof pools>): Shape {
  // Three phases in series (discover -> account -> wishlist) keep sessions deep: a single loop with
  // an exit would make lengths geometric, with many short sessions.
  return {
    name: 'power_user',
    isBot: false,
    states: [
      state('search', 'GET', '/search?q={q}', [...APP], [250, 700, 2000], 0.005),
      state('product', 'GET', '/p/{sku}', [...APP, '/img/p/{sku}.jpg'], [150, 400, 1000], 0.01),
      state('compare', 'GET', '/compare?ids={ids}', [...APP], [220, 600, 1600], 0.004),
      state('account', 'GET', '/account', [...APP], [150, 400, 1100], 0.003),
      state('orders', 'GET', '/account/orders', [...APP], [200, 500, 1400], 0.003),
      state('order_detail', 'GET', '/account/orders/{order_id}', [...APP], [160, 420, 1100], 0.004),
      state('wishlist', 'GET', '/wishlist', [...APP], [130, 350, 900], 0.003),
      state('reviews', 'GET', '/p/{sku}/reviews', [...APP], [170, 450, 1200], 0.004),
    ],
    entry: { search: 0.65, product: 0.35 },
    transitions: {
      search: { product: 0.62, search: 0.19, compare: 0.13, account: 0.06 },
      product: { search: 0.36, product: 0.25, compare: 0.33, account: 0.06 },
      compare: { product: 0.63, search: 0.31, account: 0.06 },
      account: { orders: 0.7, wishlist: 0.3 },
      orders: { order_detail: 0.6, account: 0.15, wishlist: 0.25 },
      order_detail: { orders: 0.55, account: 0.15, wishlist: 0.3 },
      wishlist: { reviews: 0.55, [EXIT_STATE]: 0.45 },
      reviews: { wishlist: 0.45, reviews: 0.2, [EXIT_STATE]: 0.35 },
    },
    thinkTime: lognormalDistribution(8, 1.0),
    params: { '{q}': p.q, '{sku}': p.sku, '{ids}': p.ids, '{order_id}': p.orderId },
  };
}

function buyer(p: ReturnType<typeof pools>): Shape {
  return {
    name: 'buyer',
    isBot: false,
    states: [
      state('home', 'GET', '/', [...APP, '/static/img/hero.jpg'], [120, 300, 800], 0.002),
      state('product', 'GET', '/p/{sku}', [...APP, '/img/p/{sku}.jpg'], [150, 400, 1000], 0.01),
      state('cart_add', 'POST', '/cart/items', [], [90, 220, 600], 0.004),
      state('cart', 'GET', '/cart', [...APP], [100, 250, 600], 0.003),
      state('checkout', 'GET', '/checkout', [...APP], [200, 500, 1500], 0.004),
      state('checkout_submit', 'POST', '/checkout', [], [300, 800, 2000], 0.006),
      state('payment', 'POST', '/payment', [], [600, 1500, 4000], 0.02),
      state('confirmation', 'GET', '/order/{order_id}', [...APP], [120, 300, 900], 0.003),
    ],
    entry: { product: 0.75, home: 0.25 },
    transitions: {
      home: { product: 0.95, [EXIT_STATE]: 0.05 },
      product: { product: 0.3, cart_add: 0.7 },
      cart_add: { cart: 0.8, product: 0.2 },
      cart: { checkout: 0.9, product: 0.05, [EXIT_STATE]: 0.05 },
      checkout: { checkout_submit: 1 },
      checkout_submit: { payment: 1 },
      payment: { confirmation: 1 },
      confirmation: { [EXIT_STATE]: 1 },
    },
    thinkTime: lognormalDistribution(15, 0.8),
    params: { '{sku}': p.sku, '{order_id}': p.orderId },
  };
}

function apiConsumer(p: ReturnType<typeof pools>): Shape {
  return {
    name: 'api_consumer',
    isBot: false,
    states: [
      state('api_product', 'GET', '/api/v1/products/{product_id}', [], [40, 90, 250], 0.004),
      state('api_stock', 'GET', '/api/v1/stock?sku={sku}', [], [25, 60, 150], 0.003),
      state('api_order', 'POST', '/api/v1/orders', [], [150, 400, 1000], 0.008),
    ],
    entry: { api_product: 0.6, api_stock: 0.4 },
    transitions: {
      api_product: { api_stock: 0.5, api_product: 0.4, api_order: 0.04, [EXIT_STATE]: 0.06 },
      api_stock: { api_product: 0.55, api_stock: 0.35, api_order: 0.04, [EXIT_STATE]: 0.06 },
      api_order: { api_product: 0.5, api_stock: 0.2, [EXIT_STATE]: 0.3 },
    },
    thinkTime: lognormalDistribution(2, 0.15),
    params: { '{product_id}': p.productId, '{sku}': p.sku },
  };
}

function botCrawler(p: ReturnType<typeof pools>): Shape {
  const cats = DEMO_CATEGORIES.map(([c]) => state(`cat_${c}`, 'GET', `/c/${c}`, [], [180, 450, 1200], 0.003));
  const transitions: Record<string, Record<string, number>> = {
    robots: { sitemap: 1 },
    sitemap: { product: 0.6, home: 0.1, ...overCategories(0.3, 'cat_') },
    home: { product: 0.4, ...overCategories(0.6, 'cat_') },
    product: { product: 0.84, ...overCategories(0.1, 'cat_'), [EXIT_STATE]: 0.06 },
  };
  for (const [c] of DEMO_CATEGORIES) {
    transitions[`cat_${c}`] = { product: 0.8, ...overCategories(0.1, 'cat_', c), [EXIT_STATE]: 0.1 };
  }
  return {
    name: 'bot_crawler',
    isBot: true,
    states: [
      state('robots', 'GET', '/robots.txt', [], [5, 10, 30], 0),
      state('sitemap', 'GET', '/sitemap.xml', [], [50, 150, 400], 0.002),
      state('home', 'GET', '/', [], [120, 300, 800], 0.002),
      ...cats,
      state('product', 'GET', '/p/{sku}', [], [150, 400, 1000], 0.01),
    ],
    entry: { robots: 1 },
    transitions,
    thinkTime: uniformDistribution(1, 3),
    params: { '{sku}': p.sku },
  };
}

// --- arrivals -----------------------------------------------------------------------------------

/** Relative session starts per UTC hour: people browse in the evening, weekends start later. */
const HUMAN_WEEKDAY = [0.25, 0.15, 0.1, 0.07, 0.06, 0.08, 0.18, 0.35, 0.5, 0.58, 0.62, 0.66, 0.72, 0.68, 0.62, 0.6, 0.62, 0.7, 0.82, 0.95, 1.0, 0.92, 0.7, 0.45];
const HUMAN_WEEKEND = [0.35, 0.22, 0.14, 0.09, 0.07, 0.07, 0.1, 0.18, 0.32, 0.48, 0.62, 0.72, 0.78, 0.8, 0.8, 0.78, 0.76, 0.78, 0.85, 0.92, 0.95, 0.88, 0.7, 0.5];
/** Relative weekend volume per human persona (casual browsing grows, account work shrinks). */
const WEEKEND_FACTOR: Partial<Record<DemoPersona, number>> = { casual_browser: 1.15, power_user: 0.8, buyer: 1.0 };

/** Bursts: (day offset, hour UTC) -> multipliers for the next hours, per persona. */
const BURSTS: readonly { day: number; hour: number; factors: Partial<Record<DemoPersona, number[]>> }[] = [
  // A marketing email on the third morning.
  { day: 2, hour: 10, factors: { casual_browser: [3.0, 2.2, 1.5], buyer: [3.5, 2.5, 1.6] } },
  // A flash sale on the fifth evening.
  { day: 4, hour: 18, factors: { buyer: [2.5, 2.0, 1.4], casual_browser: [1.6, 1.3] } },
];

function shapeAt(persona: DemoPersona, t: Date): number {
  const hour = t.getUTCHours();
  const weekend = t.getUTCDay() === 0 || t.getUTCDay() === 6;
  if (persona === 'bot_crawler') return 1;
  if (persona === 'api_consumer') {
    if (weekend) return 0.3;
    return hour >= 7 && hour < 19 ? 1 : 0.15;
  }
  return weekend ? (HUMAN_WEEKEND[hour] ?? 0) * (WEEKEND_FACTOR[persona] ?? 1) : (HUMAN_WEEKDAY[hour] ?? 0);
}

function arrivalsFor(persona: DemoPersona, start: Date, days: number, weeklySessions: number): Arrivals {
  const buckets = days * 24;
  const raw = Array.from({ length: buckets }, (_, b) => shapeAt(persona, new Date(start.getTime() + b * 3_600_000)));
  const target = (weeklySessions * NOMINAL_SHARE[persona] * days) / 7;
  const base = raw.reduce((a, b) => a + b, 0);
  const expected = raw.map((w) => (base > 0 ? (w * target) / base : 0));
  for (const burst of BURSTS) {
    const factors = burst.factors[persona];
    if (!factors) continue;
    factors.forEach((f, i) => {
      const b = burst.day * 24 + burst.hour + i;
      if (b < buckets) expected[b] = (expected[b] ?? 0) * f;
    });
  }
  const counts = expected.map((x) => Math.round(x));
  return {
    bucketSeconds: 3600,
    start: start.toISOString(),
    counts,
    hourOfWeek: hourOfWeek(counts, start, 3600),
    dispersionIndex: dispersionIndex(counts),
  };
}

/** Mean count per hour of week (168 values, Monday 00:00 UTC first) of hourly-or-finer buckets. */
export function hourOfWeek(counts: readonly number[], start: Date, bucketSeconds: number): number[] {
  const sum = new Array<number>(168).fill(0);
  const hoursSeen = new Map<number, Set<number>>();
  counts.forEach((c, b) => {
    const t = new Date(start.getTime() + b * bucketSeconds * 1000);
    const how = ((t.getUTCDay() + 6) % 7) * 24 + t.getUTCHours();
    sum[how] = (sum[how] ?? 0) + c;
    const absHour = Math.floor(t.getTime() / 3_600_000);
    const seen = hoursSeen.get(how) ?? new Set<number>();
    seen.add(absHour);
    hoursSeen.set(how, seen);
  });
  return sum.map((s, how) => Math.round((s / Math.max(1, hoursSeen.get(how)?.size ?? 1)) * 1000) / 1000);
}

/** Variance over mean of bucket counts: 1 for a Poisson process, above 1 when bursty. */
export function dispersionIndex(counts: readonly number[]): number {
  if (counts.length === 0) return 0;
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  if (mean === 0) return 0;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / counts.length;
  return Math.round((variance / mean) * 1000) / 1000;
}

// --- assembly -----------------------------------------------------------------------------------

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Fills the figures that follow from the chain (state shares, lengths, error and write rates) by simulating it. */
function calibrate(model: TrafficModel, persona: PersonaModel): void {
  const alone: TrafficModel = { ...model, personas: [{ ...persona, share: 1 }] };
  const matcher = stateMatcher(persona);
  const pages: number[] = [];
  const durations: number[] = [];
  const visits = new Map<string, number>();
  let pageCount = 0;
  let errors = 0;
  let writes = 0;
  for (const s of simulateSessions(alone, { sessions: CALIBRATION_SESSIONS, seed: CALIBRATION_SEED })) {
    let sessionPages = 0;
    let last = 0;
    for (const r of s.requests) {
      last = Math.max(last, r.tEnd);
      if (r.isAsset) continue;
      sessionPages++;
      pageCount++;
      if (r.status >= 400) errors++;
      if (WRITES.has(r.method)) writes++;
      const id = matcher(r.method, r.path);
      if (id) visits.set(id, (visits.get(id) ?? 0) + 1);
    }
    pages.push(sessionPages);
    durations.push(last - (s.requests[0]?.tStart ?? last));
  }
  const ratio = (n: number): number => Math.round((n / Math.max(1, pageCount)) * 10_000) / 10_000;
  for (const st of persona.states) st.share = ratio(visits.get(st.id) ?? 0);
  // Pages per session (assets excluded), as the validation figures count them.
  persona.requestsPerSession = summarize(pages);
  persona.durationSeconds = summarize(durations);
  persona.errorRate = ratio(errors);
  persona.writeRatio = ratio(writes);
}

/**
 * Maps a filled request (`GET /p/sku-0042`) back to the persona state whose template produced it:
 * the ground-truth state of a request, for tests that compare fitted chains with the truth.
 */
export function stateMatcher(persona: PersonaModel): (method: string, path: string) => string | undefined {
  const compiled = persona.states.map((s) => ({
    id: s.id,
    method: s.method,
    re: new RegExp(`^${s.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]*\}/g, '[^/?&]+')}$`),
  }));
  return (method, path) => compiled.find((c) => c.method === method && c.re.test(path))?.id;
}

/**
 * The demo e-commerce world as a TrafficModel (schema-valid). Deterministic: the same options give
 * the same model, so it can serve as a fixed ground truth in tests.
 */
export function demoWorld(opts: DemoWorldOptions = {}): TrafficModel {
  const days = opts.days ?? 7;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`demoWorld: days must be a positive integer, got ${days}`);
  const start = opts.start ?? DEMO_START;
  const weekly = opts.weeklySessions ?? 20_000;
  const p = pools();
  const shapes: Record<DemoPersona, Shape> = {
    casual_browser: casualBrowser(p),
    power_user: powerUser(p),
    buyer: buyer(p),
    api_consumer: apiConsumer(p),
    bot_crawler: botCrawler(p),
  };
  const placeholder = summarize([]);
  const personas: PersonaModel[] = DEMO_PERSONAS.map((name) => {
    const arrivals = arrivalsFor(name, start, days, weekly);
    const sessions = arrivals.counts.reduce((a, b) => a + b, 0);
    return {
      ...shapes[name],
      share: 0,
      sessions,
      arrivals,
      requestsPerSession: placeholder,
      durationSeconds: placeholder,
      errorRate: 0,
      writeRatio: 0,
    };
  });
  const total = personas.reduce((a, x) => a + x.sessions, 0);
  for (const persona of personas) persona.share = Math.round((persona.sessions / Math.max(1, total)) * 10_000) / 10_000;
  const model: TrafficModel = {
    schemaVersion: 1,
    generatedAt: start.toISOString(),
    window: { start: start.toISOString(), end: new Date(start.getTime() + days * 86_400_000).toISOString() },
    productionHosts: [DEMO_HOST],
    personas,
  };
  for (const persona of personas) calibrate(model, persona);
  return model;
}
