/**
 * The simulator: turns a TrafficModel back into the sessions and requests that would have produced it
 * (the inverse of the pipeline). Session starts follow each persona's arrival curve, pages walk the
 * persona's Markov chain, each page loads its resources right after it, and think time runs from the
 * end of one page response to the start of the next page request, exactly as the pipeline measures it.
 *
 * `simulateSessions` is a generator that yields sessions in start-time order and holds only the
 * current arrival bucket: 10M lines stream through it in flat memory.
 */
import { DEFAULTS } from '../config';
import { EXIT_STATE } from '../types';
import type { Distribution, ModelState, PersonaModel, TrafficModel } from '../types';
import { ClientDirectory, DEFAULT_CLIENT_SETTINGS } from './clients';
import type { ClientKind, ClientSettings } from './clients';
import { Rng, WeightedChoice, sampleQuantiles, sigmaFromP90, zipfWeights } from './rng';

export interface SimRequest {
  /** Request start (ALB `request_creation_time`), epoch seconds, millisecond precision. */
  tStart: number;
  /** Response end (ALB `time`), epoch seconds: tStart + responseMs / 1000. */
  tEnd: number;
  method: string;
  /** Filled path, with its query string when the template has query keys. */
  path: string;
  status: number;
  responseMs: number;
  /** A static resource loaded by a page (not a Markov state). */
  isAsset: boolean;
  host: string;
  /** Response body bytes (0 in a pages-only simulation). */
  bytes: number;
  /** True when the load balancer answered itself (502/503 without a target). */
  lbGenerated?: boolean;
}

export interface SimSession {
  id: string;
  /** The persona that generated the session: the ground-truth label. */
  persona: string;
  clientIp: string;
  userAgent: string;
  /** Session cookie value (browsers only), for formats that log cookies. */
  sessionCookie?: string;
  /** Requests in start-time order, pages and their resources interleaved. */
  requests: SimRequest[];
}

export interface SimulateOptions {
  /** Sessions to generate (default DEFAULTS.simulate.sessions unless targetLines is given). */
  sessions?: number;
  /** Approximate number of requests (log lines) to generate; converted to sessions with a pilot run. */
  targetLines?: number;
  seed: number;
  /** Moves the model's window so it starts here (arrival shapes are kept). */
  start?: Date;
  /** Session id prefix (ids are `<prefix><7-digit counter>`). @default 's' */
  idPrefix?: string;
  /** Which kind of client a persona is; by default bots by `isBot`, machines by API share. */
  clientKind?: (persona: PersonaModel) => ClientKind;
  clients?: Partial<ClientSettings>;
  maxThinkSeconds?: number;
  maxPagesPerSession?: number;
  /**
   * Pages only: no resources and no response sizes. What the model check measures (validation counts
   * pages only), in about half the time of a full simulation; the pages differ from a full run's
   * with the same seed, since resources draw from the same random stream.
   */
  pagesOnly?: boolean;
}

const SIM = DEFAULTS.simulate;

/** `/api/`-like paths: the same prefixes the pipeline uses for its api_share feature. */
export function isApiPath(path: string): boolean {
  return DEFAULTS.ingest.apiPrefixes.some((p) => path.startsWith(p));
}

const ASSET_EXT = new Set<string>(DEFAULTS.ingest.assetExtensions);

/** Whether a path is a static asset by extension (the pipeline's rule, from the same config). */
export function isAssetPath(path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  const dot = bare.lastIndexOf('.');
  if (dot < 0 || dot < bare.lastIndexOf('/')) return false;
  return ASSET_EXT.has(bare.slice(dot + 1).toLowerCase());
}

/** The client kind a persona gets unless the caller decides: crawlers, API integrations, browsers. */
export function defaultClientKind(persona: PersonaModel): ClientKind {
  if (persona.isBot) return 'bot';
  const pages = persona.states.filter((s) => s.path !== 'other');
  const api = pages.filter((s) => isApiPath(s.path)).length;
  return pages.length > 0 && api / pages.length > 0.5 ? 'machine' : 'browser';
}

// --- prepared model ---------------------------------------------------------------------------

interface PreparedState {
  state: ModelState;
  next: WeightedChoice<string>;
  rtSigma: number;
  rtCap: number;
  isWrite: boolean;
  okStatus: number;
}

interface PreparedPersona {
  model: PersonaModel;
  kind: ClientKind;
  entry: WeightedChoice<string>;
  states: Map<string, PreparedState>;
  pools: Map<string, { values: readonly string[]; choice: WeightedChoice<number> }>;
  /** Normalised arrival weights per bucket, with absolute bucket starts. */
  bucketStart: number;
  bucketSeconds: number;
  weights: number[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function prepare(model: TrafficModel, opts: SimulateOptions): PreparedPersona[] {
  const windowStart = Date.parse(model.window.start) / 1000;
  const windowEnd = Date.parse(model.window.end) / 1000;
  const offset = opts.start ? opts.start.getTime() / 1000 - windowStart : 0;
  const kindOf = opts.clientKind ?? defaultClientKind;
  return model.personas.map((p) => {
    const states = new Map<string, PreparedState>();
    for (const s of p.states) {
      const row = p.transitions[s.id] ?? { [EXIT_STATE]: 1 };
      const rt = s.responseTimeMs;
      const isWrite = WRITE_METHODS.has(s.method.toUpperCase());
      states.set(s.id, {
        state: s,
        next: new WeightedChoice(Object.entries(row)),
        rtSigma: sigmaFromP90(rt.p50, rt.p90),
        rtCap: Math.max(rt.p99 * 3, rt.p90 * 2, 1),
        isWrite,
        okStatus: isWrite && isApiPath(s.path) ? 201 : 200,
      });
    }
    const pools = new Map<string, { values: readonly string[]; choice: WeightedChoice<number> }>();
    for (const [name, values] of Object.entries(p.params)) {
      const weights = zipfWeights(values.length, SIM.paramZipfExponent);
      pools.set(name, { values, choice: new WeightedChoice(weights.map((w, i) => [i, w] as const)) });
    }
    const arrivals = p.arrivals;
    const hasCurve = arrivals.counts.length > 0 && arrivals.counts.some((c) => c > 0);
    return {
      model: p,
      kind: kindOf(p),
      entry: new WeightedChoice(Object.entries(p.entry)),
      states,
      pools,
      bucketStart: hasCurve ? Date.parse(arrivals.start) / 1000 + offset : windowStart + offset,
      bucketSeconds: hasCurve ? arrivals.bucketSeconds : Math.max(1, windowEnd - windowStart),
      weights: hasCurve ? arrivals.counts.map((c) => Math.max(0, c)) : [1],
    };
  });
}

/** Splits `total` sessions across personas by share (largest remainder: exact and deterministic). */
function splitByShare(total: number, personas: readonly PersonaModel[]): number[] {
  const raw = personas.map((p) => (p.share > 0 ? p.share : p.sessions > 0 ? p.sessions : 0));
  const sum = raw.reduce((a, b) => a + b, 0);
  const weights = sum > 0 ? raw.map((w) => w / sum) : personas.map(() => 1 / Math.max(1, personas.length));
  const exact = weights.map((w) => w * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

/**
 * Session start times of one persona, in order: a multinomial split of its sessions over the arrival
 * buckets (a non-homogeneous Poisson process conditioned on the total), uniform within a bucket.
 */
function* personaStarts(p: PreparedPersona, total: number, rng: Rng): Generator<number> {
  let remaining = total;
  let weightLeft = p.weights.reduce((a, b) => a + b, 0);
  for (let b = 0; b < p.weights.length && remaining > 0; b++) {
    const w = p.weights[b] ?? 0;
    const k = weightLeft > 0 ? rng.binomial(remaining, Math.min(1, w / weightLeft)) : 0;
    weightLeft -= w;
    remaining -= k;
    if (k === 0) continue;
    const t0 = p.bucketStart + b * p.bucketSeconds;
    const starts = new Float64Array(k);
    for (let i = 0; i < k; i++) starts[i] = t0 + rng.next() * p.bucketSeconds;
    starts.sort();
    yield* starts;
  }
}

// --- one session ------------------------------------------------------------------------------

function encodeValue(value: string, inQuery: boolean): string {
  if (/%[0-9A-Fa-f]{2}/.test(value)) return value; // already encoded as observed
  const enc = encodeURIComponent(value);
  return inQuery ? enc.replace(/%20/g, '+') : enc;
}

class SessionWalker {
  private readonly host: string;
  private readonly maxThink: number;
  private readonly maxPages: number;
  private readonly pagesOnly: boolean;
  private readonly assetSigma = sigmaFromP90(SIM.resourceResponseMs.p50, SIM.resourceResponseMs.p90);
  private readonly errorChoice = {
    read: new WeightedChoice(Object.entries(SIM.errorStatuses.read).map(([k, w]) => [Number(k), w] as const)),
    write: new WeightedChoice(Object.entries(SIM.errorStatuses.write).map(([k, w]) => [Number(k), w] as const)),
  };

  constructor(
    model: TrafficModel,
    private readonly rng: Rng,
    opts: SimulateOptions,
  ) {
    this.host = model.productionHosts[0] ?? 'www.example.com';
    this.maxThink = opts.maxThinkSeconds ?? SIM.maxThinkSeconds;
    this.maxPages = opts.maxPagesPerSession ?? SIM.maxPagesPerSession;
    this.pagesOnly = opts.pagesOnly ?? false;
  }

  fill(template: string, p: PreparedPersona, memo: Map<string, string>): string {
    const q = template.indexOf('?');
    return template.replace(/\{([^}]+)\}/g, (whole: string, name: string, at: number) => {
      let value = memo.get(name);
      if (value === undefined) {
        const pool = p.pools.get(whole) ?? p.pools.get(name);
        const i = pool?.choice.pick(this.rng);
        value = pool && i !== undefined ? (pool.values[i] ?? '1') : String(this.rng.int(1, 99_999));
        memo.set(name, value);
      }
      return encodeValue(value, q >= 0 && at > q);
    });
  }

  private responseMs(median: number, sigma: number, cap: number): number {
    const ms = Math.min(cap, this.rng.lognormal(Math.max(0.1, median), sigma));
    return Math.round(ms * 1000) / 1000;
  }

  private bytes(path: string, isAsset: boolean, status: number): number {
    const r = this.rng;
    if (status >= 400) return Math.round(r.lognormal(900, 0.3));
    if (isAsset) {
      const ext = (path.split('?')[0] ?? '').split('.').pop() ?? '';
      const median = ext === 'js' || ext === 'mjs' ? 160_000 : ext === 'css' ? 38_000 : ext.startsWith('woff') ? 30_000 : 45_000;
      return Math.round(r.lognormal(median, 0.5));
    }
    if (path.endsWith('robots.txt')) return Math.round(r.uniform(120, 260));
    if (path.includes('sitemap')) return Math.round(r.lognormal(42_000, 0.2));
    if (isApiPath(path)) return Math.round(r.lognormal(1_800, 0.5));
    return Math.round(r.lognormal(28_000, 0.3));
  }

  private think(p: PreparedPersona, s: ModelState): number {
    const d: Distribution = s.thinkTime ?? p.model.thinkTime;
    return Math.min(this.maxThink, Math.max(0, sampleQuantiles(this.rng, d)));
  }

  walk(p: PreparedPersona, start: number): SimRequest[] {
    const rng = this.rng;
    const out: SimRequest[] = [];
    let t = Math.round(start * 1000) / 1000;
    let id = p.entry.pick(rng);
    for (let page = 0; id !== undefined && page < this.maxPages; page++) {
      const ps = p.states.get(id);
      if (!ps) break;
      const s = ps.state;
      const memo = new Map<string, string>();
      const path = s.path === 'other' && s.templates?.length ? this.fill(rng.pick(s.templates), p, memo) : this.fill(s.path, p, memo);
      const rtMs = this.responseMs(s.responseTimeMs.p50, ps.rtSigma, ps.rtCap);
      const failed = rng.chance(s.errorRate);
      const status = failed ? ((ps.isWrite ? this.errorChoice.write : this.errorChoice.read).pick(rng) ?? 500) : ps.okStatus;
      const req: SimRequest = {
        tStart: t,
        tEnd: t + rtMs / 1000,
        method: s.method,
        path,
        status,
        responseMs: rtMs,
        isAsset: false,
        host: this.host,
        bytes: this.pagesOnly ? 0 : this.bytes(path, false, status),
      };
      if (status >= 502 && status <= 504 && rng.chance(SIM.lbGeneratedErrorShare)) req.lbGenerated = true;
      out.push(req);
      // Resources come right after the page (the browser parses it, then fetches them in parallel).
      let ta = req.tEnd + SIM.resourceGapMs.first / 1000;
      for (const template of status < 400 && !this.pagesOnly ? s.resources : []) {
        const rpath = this.fill(template, p, memo);
        const ams = this.responseMs(SIM.resourceResponseMs.p50, this.assetSigma, SIM.resourceResponseMs.p90 * 10);
        const tStart = Math.round(ta * 1000) / 1000;
        out.push({
          tStart,
          tEnd: tStart + ams / 1000,
          method: 'GET',
          path: rpath,
          status: 200,
          responseMs: ams,
          isAsset: true,
          host: this.host,
          bytes: this.bytes(rpath, true, 200),
        });
        ta += rng.uniform(0, SIM.resourceGapMs.stagger) / 1000;
      }
      const next = ps.next.pick(rng);
      if (next === undefined || next === EXIT_STATE) break;
      t = Math.round((req.tEnd + this.think(p, s)) * 1000) / 1000;
      id = next;
    }
    out.sort((a, b) => a.tStart - b.tStart);
    return out;
  }
}

// --- the generator ----------------------------------------------------------------------------

function hex(rng: Rng, chars: number): string {
  let s = '';
  while (s.length < chars) s += rng.uint32().toString(16).padStart(8, '0');
  return s.slice(0, chars);
}

/** Sessions to generate for a line target: a pilot on its own random stream measures lines per session. */
export function sessionsForTargetLines(model: TrafficModel, targetLines: number, seed: number): number {
  let lines = 0;
  let sessions = 0;
  for (const s of generate(model, { seed: seed ^ 0x5eed, sessions: SIM.pilotSessions })) {
    lines += s.requests.length;
    sessions++;
  }
  const perSession = sessions > 0 ? lines / sessions : 1;
  return Math.max(1, Math.round(targetLines / Math.max(1, perSession)));
}

/**
 * Generates sessions from a traffic model, in start-time order. Deterministic: the same model,
 * options and seed give the same sessions.
 */
export function simulateSessions(model: TrafficModel, opts: SimulateOptions): Iterable<SimSession> {
  const total =
    opts.sessions ?? (opts.targetLines !== undefined ? sessionsForTargetLines(model, opts.targetLines, opts.seed) : SIM.sessions);
  return generate(model, { ...opts, sessions: total });
}

function* generate(model: TrafficModel, opts: SimulateOptions & { sessions: number }): Generator<SimSession> {
  const personas = prepare(model, opts);
  if (personas.length === 0 || opts.sessions <= 0) return;
  const arrivalRng = Rng.derive(opts.seed, 1);
  const walkRng = Rng.derive(opts.seed, 2);
  const clientRng = Rng.derive(opts.seed, 3);
  const clients = new ClientDirectory(clientRng, { ...DEFAULT_CLIENT_SETTINGS, ...opts.clients });
  const walker = new SessionWalker(model, walkRng, opts);
  const counts = splitByShare(opts.sessions, model.personas);
  const streams = personas.map((p, i) => personaStarts(p, counts[i] ?? 0, arrivalRng));
  // Merge the personas' ordered start streams (few personas: a linear scan beats a heap).
  const heads = streams.map((s) => s.next());
  const prefix = opts.idPrefix ?? 's';
  let seq = 0;
  for (;;) {
    let best = -1;
    let bestT = Infinity;
    heads.forEach((h, i) => {
      if (!h.done && h.value < bestT) {
        bestT = h.value;
        best = i;
      }
    });
    if (best < 0) return;
    heads[best] = (streams[best] as Generator<number>).next();
    const p = personas[best] as PreparedPersona;
    const client = clients.acquire(p.kind, bestT);
    const requests = walker.walk(p, bestT);
    if (requests.length === 0) continue;
    const end = requests.reduce((m, r) => Math.max(m, r.tEnd), 0);
    clients.finish(client, end);
    seq++;
    const session: SimSession = {
      id: `${prefix}${String(seq).padStart(7, '0')}`,
      persona: p.model.name,
      clientIp: client.ip,
      userAgent: client.userAgent,
      requests,
    };
    if (p.kind === 'browser') session.sessionCookie = hex(clientRng, 32);
    yield session;
  }
}

/** Normalises a template for comparisons across models: parameter names dropped (`/p/{sku}` -> `/p/{}`). */
export function templateKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}
