import { isbot } from 'isbot';
import { demoWorld, stateMatcher } from '../../../lib/core/simulate/demo-world';
import { lognormalDistribution, summarize } from '../../../lib/core/simulate/distribution';
import { BOT_USER_AGENTS, BROWSER_USER_AGENTS } from '../../../lib/core/simulate/clients';
import { simulateSessions } from '../../../lib/core/simulate/simulate';
import type { SimSession } from '../../../lib/core/simulate/simulate';
import { EXIT_STATE } from '../../../lib/core/types';
import type { PersonaModel, TrafficModel } from '../../../lib/core/types';

const world = demoWorld();
const SESSIONS = 12_000;
const sessions: SimSession[] = [...simulateSessions(world, { sessions: SESSIONS, seed: 11 })];
/** Pages of a session (assets are resources, not steps of the chain). */
const pages = (s: SimSession) => s.requests.filter((r) => !r.isAsset);

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const ma = a.slice(0, n).reduce((x, y) => x + y, 0) / n;
  const mb = b.slice(0, n).reduce((x, y) => x + y, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('simulateSessions', () => {
  it('is deterministic: the same seed gives the same sessions, another seed others', () => {
    // Given the demo world
    // When it is simulated twice with one seed and once with another
    const a = JSON.stringify([...simulateSessions(world, { sessions: 300, seed: 5 })]);
    const b = JSON.stringify([...simulateSessions(world, { sessions: 300, seed: 5 })]);
    const c = JSON.stringify([...simulateSessions(world, { sessions: 300, seed: 6 })]);
    // Then the runs with one seed are identical and the other differs
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('yields exactly the requested sessions, in start order, split by persona share', () => {
    expect(sessions).toHaveLength(SESSIONS);
    const starts = sessions.map((s) => s.requests[0]?.tStart ?? NaN);
    expect(starts.every((t, i) => i === 0 || t >= (starts[i - 1] ?? 0))).toBe(true);
    for (const p of world.personas) {
      const n = sessions.filter((s) => s.persona === p.name).length;
      expect(Math.abs(n / SESSIONS - p.share)).toBeLessThan(0.005);
    }
  });

  it('walks each persona\'s Markov chain: empirical transition rows match the model (TV < 0.05)', () => {
    for (const p of world.personas) {
      // Given the persona's sessions mapped back to their states
      const match = stateMatcher(p);
      const counts: Record<string, Record<string, number>> = {};
      for (const s of sessions.filter((x) => x.persona === p.name)) {
        const ids = pages(s).map((r) => match(r.method, r.path) ?? 'UNMATCHED');
        ids.forEach((from, i) => {
          const to = ids[i + 1] ?? EXIT_STATE;
          const row = (counts[from] ??= {});
          row[to] = (row[to] ?? 0) + 1;
        });
      }
      // Then every page maps to a state, and well-observed rows are within 0.05 total variation
      expect(counts['UNMATCHED']).toBeUndefined();
      for (const [from, row] of Object.entries(counts)) {
        const total = Object.values(row).reduce((a, b) => a + b, 0);
        if (total < 400) continue;
        const truth = p.transitions[from] ?? {};
        const keys = new Set([...Object.keys(truth), ...Object.keys(row)]);
        let tv = 0;
        for (const k of keys) tv += Math.abs((row[k] ?? 0) / total - (truth[k] ?? 0));
        expect({ persona: p.name, from, tv: tv / 2 < 0.05 }).toEqual({ persona: p.name, from, tv: true });
      }
    }
  });

  it('measures think time from the end of a page response to the next page request, as modelled', () => {
    for (const p of world.personas) {
      // Given the gaps between consecutive pages (response end -> next request start)
      const gaps: number[] = [];
      for (const s of sessions.filter((x) => x.persona === p.name)) {
        const ps = pages(s);
        for (let i = 1; i < ps.length; i++) gaps.push((ps[i]?.tStart ?? 0) - (ps[i - 1]?.tEnd ?? 0));
      }
      // Then their median is the persona's think-time median within 5%
      const median = summarize(gaps).p50;
      expect({ persona: p.name, relErr: Math.abs(median - p.thinkTime.p50) / p.thinkTime.p50 < 0.05 }).toEqual({
        persona: p.name,
        relErr: true,
      });
    }
  });

  it('starts sessions along each persona\'s arrival curve', () => {
    // Given a larger run of the whole week
    const starts = new Map<string, number[]>();
    for (const s of simulateSessions(world, { sessions: 20_000, seed: 12 })) {
      const list = starts.get(s.persona) ?? [];
      list.push(s.requests[0]?.tStart ?? 0);
      starts.set(s.persona, list);
    }
    for (const p of world.personas.filter((x) => x.name !== 'bot_crawler')) {
      // When session starts are counted per hourly bucket
      const start = Date.parse(p.arrivals.start) / 1000;
      const hist = new Array<number>(p.arrivals.counts.length).fill(0);
      for (const t of starts.get(p.name) ?? []) {
        const b = Math.floor((t - start) / p.arrivals.bucketSeconds);
        hist[b] = (hist[b] ?? 0) + 1;
      }
      // Then they follow the modelled curve (the flat bot curve has no shape to correlate with)
      expect({ persona: p.name, corr: correlation(hist, p.arrivals.counts) > 0.9 }).toEqual({ persona: p.name, corr: true });
    }
  });

  it('fills templates from parameter pools with skewed popularity, keeping query keys', () => {
    const products = sessions.flatMap((s) => pages(s)).filter((r) => r.path.startsWith('/p/sku-') && !r.path.endsWith('/reviews'));
    const byValue = new Map<string, number>();
    for (const r of products) byValue.set(r.path, (byValue.get(r.path) ?? 0) + 1);
    // Many distinct products (high cardinality), but the most popular far above the typical one
    expect(byValue.size).toBeGreaterThan(1_000);
    const sorted = [...byValue.values()].sort((a, b) => b - a);
    expect((sorted[0] ?? 0) / (sorted[Math.floor(sorted.length / 2)] ?? 1)).toBeGreaterThan(20);
    const searches = sessions.flatMap((s) => pages(s)).filter((r) => r.path.startsWith('/search'));
    expect(searches.length).toBeGreaterThan(0);
    expect(searches.every((r) => /^\/search\?q=[^&/ ]+$/.test(r.path))).toBe(true);
    // Resources of a product page show that product's image
    const s = sessions.find((x) => x.persona === 'casual_browser' && x.requests.some((r) => r.path.startsWith('/img/p/')));
    const img = s?.requests.find((r) => r.path.startsWith('/img/p/'));
    const page = s?.requests.filter((r) => !r.isAsset && r.tStart <= (img?.tStart ?? 0)).pop();
    expect(img?.path).toBe(`/img/p/${page?.path.slice(3)}.jpg`);
  });

  it('gives each persona the clients production has: browsers, HTTP libraries, declared crawlers', () => {
    expect(BROWSER_USER_AGENTS.filter((ua) => isbot(ua))).toEqual([]);
    expect(BOT_USER_AGENTS.every((ua) => isbot(ua))).toBe(true);
    const uas = (name: string) => new Set(sessions.filter((s) => s.persona === name).map((s) => s.userAgent));
    for (const ua of uas('casual_browser')) expect(isbot(ua)).toBe(false);
    for (const ua of uas('bot_crawler')) expect(isbot(ua)).toBe(true);
    const api = [...uas('api_consumer')];
    expect(api.some((ua) => ua.startsWith('python-requests/'))).toBe(true);
    expect(api.some((ua) => ua.startsWith('okhttp/'))).toBe(true);
    expect(api.some((ua) => ua.startsWith('Go-http-client/'))).toBe(true);
    expect(api).toContain('-');
    // Browsers carry a session cookie, machines do not
    expect(sessions.filter((s) => s.persona === 'power_user').every((s) => s.sessionCookie !== undefined)).toBe(true);
    expect(sessions.filter((s) => s.persona === 'api_consumer').every((s) => s.sessionCookie === undefined)).toBe(true);
    // Crawlers read robots.txt, then the sitemap; API clients load no assets
    const bot = sessions.find((s) => s.persona === 'bot_crawler');
    expect(bot?.requests.slice(0, 2).map((r) => r.path)).toEqual(['/robots.txt', '/sitemap.xml']);
    expect(sessions.filter((s) => s.persona === 'api_consumer').every((s) => s.requests.every((r) => !r.isAsset))).toBe(true);
  });

  it('keeps the truth recoverable: one IP + user agent never has two sessions within 30 minutes', () => {
    // Given the sessions grouped by client key
    const byClient = new Map<string, { start: number; end: number }[]>();
    for (const s of sessions) {
      const key = `${s.clientIp}|${s.userAgent}`;
      const list = byClient.get(key) ?? [];
      list.push({ start: s.requests[0]?.tStart ?? 0, end: Math.max(...s.requests.map((r) => r.tEnd)) });
      byClient.set(key, list);
    }
    // Then returning clients exist, and their sessions are separated by more than the gap
    let returning = 0;
    let closest = Infinity;
    for (const list of byClient.values()) {
      if (list.length > 1) returning++;
      for (let i = 1; i < list.length; i++) closest = Math.min(closest, (list[i]?.start ?? 0) - (list[i - 1]?.end ?? 0));
    }
    expect(returning).toBeGreaterThan(50);
    expect(closest).toBeGreaterThan(30 * 60);
    // And some addresses are shared by several devices (NAT), told apart by their user agents
    const uasPerIp = new Map<string, Set<string>>();
    for (const s of sessions) uasPerIp.set(s.clientIp, (uasPerIp.get(s.clientIp) ?? new Set()).add(s.userAgent));
    expect([...uasPerIp.values()].filter((set) => set.size >= 3).length).toBeGreaterThan(3);
    // Within a session no gap reaches the 30-minute session gap
    let widest = 0;
    for (const s of sessions) {
      for (let i = 1; i < s.requests.length; i++) widest = Math.max(widest, (s.requests[i]?.tStart ?? 0) - (s.requests[i - 1]?.tEnd ?? 0));
    }
    expect(widest).toBeLessThan(30 * 60);
  });

  it('streams: the first sessions of a ten-million-session run arrive at once, without building the run', () => {
    // Given a generator asked for 10M sessions
    const began = Date.now();
    const it = simulateSessions(world, { sessions: 10_000_000, seed: 1 })[Symbol.iterator]();
    // When only 100 sessions are taken
    const first: SimSession[] = [];
    for (let i = 0; i < 100; i++) {
      const r = it.next();
      if (!r.done) first.push(r.value);
    }
    // Then they come quickly (only the current arrival bucket is materialised)
    expect(first).toHaveLength(100);
    expect(Date.now() - began).toBeLessThan(3_000);
  });

  it('walks pages only when asked, for the model check: same sessions and chain, no resources', () => {
    // Given the demo world simulated in full and pages only, with one seed
    const full = [...simulateSessions(world, { sessions: 10_000, seed: 21 })];
    const bare = [...simulateSessions(world, { sessions: 10_000, seed: 21, pagesOnly: true })];
    // Then the sessions start at the same instants, for the same personas
    expect(bare.map((s) => [s.id, s.persona, s.requests[0]?.tStart])).toEqual(full.map((s) => [s.id, s.persona, s.requests[0]?.tStart]));
    // And hold no resources, while the full run loads many
    expect(bare.flatMap((s) => s.requests).some((r) => r.isAsset)).toBe(false);
    expect(full.flatMap((s) => s.requests).filter((r) => r.isAsset).length).toBeGreaterThan(10_000);
    // And the sessions are as deep as in the full run (resources draw on the walk's stream, so the
    // pages differ one by one, not in distribution; within a persona, depth is heavy-tailed noise)
    const depth = (run: SimSession[]) => run.reduce((n, s) => n + pages(s).length, 0) / run.length;
    expect(Math.abs(depth(bare) / depth(full) - 1)).toBeLessThan(0.03);
  });

  it('uses per-state think times where the model has them, and a line target instead of a session count', () => {
    // Given a two-state model whose second page is followed by a long think
    const base = world.personas.find((p) => p.name === 'api_consumer') as PersonaModel;
    const model: TrafficModel = {
      ...world,
      personas: [
        {
          ...base,
          share: 1,
          states: [
            { id: 'a', method: 'GET', path: '/a', resources: [], share: 0.5, responseTimeMs: { p50: 10, p90: 20, p99: 40 }, errorRate: 0 },
            {
              id: 'b', method: 'GET', path: '/b', resources: [], share: 0.5, responseTimeMs: { p50: 10, p90: 20, p99: 40 }, errorRate: 0,
              thinkTime: lognormalDistribution(60, 0.1),
            },
          ],
          entry: { a: 1 },
          transitions: { a: { b: 1 }, b: { a: 0.9, [EXIT_STATE]: 0.1 } },
          thinkTime: lognormalDistribution(2, 0.1),
          params: {},
        },
      ],
    };
    // When ~5,000 lines are asked for
    const out = [...simulateSessions(model, { targetLines: 5_000, seed: 3 })];
    const lines = out.reduce((a, s) => a + s.requests.length, 0);
    const afterB: number[] = [];
    const afterA: number[] = [];
    for (const s of out) {
      s.requests.forEach((r, i) => {
        const next = s.requests[i + 1];
        if (next) (r.path === '/b' ? afterB : afterA).push(next.tStart - r.tEnd);
      });
    }
    // Then the line count is near the target and each state's think time is its own
    expect(Math.abs(lines - 5_000) / 5_000).toBeLessThan(0.2);
    expect(summarize(afterB).p50).toBeCloseTo(60, 0);
    expect(summarize(afterA).p50).toBeCloseTo(2, 0);
  });
});
