import { checkModelInvariants, validateModelSchema } from '../../../lib/core/model/validate-model-schema';
import { DEMO_PERSONAS, demoWorld } from '../../../lib/core/simulate/demo-world';
import { sampleQuantiles, Rng } from '../../../lib/core/simulate/rng';
import type { PersonaModel } from '../../../lib/core/types';

const world = demoWorld();
const get = (name: string): PersonaModel => {
  const p = world.personas.find((x) => x.name === name);
  if (!p) throw new Error(`no persona ${name}`);
  return p;
};
const cv = (p: PersonaModel): number => {
  const rng = new Rng(1);
  const v = Array.from({ length: 10_000 }, () => sampleQuantiles(rng, p.thinkTime));
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length) / mean;
};

describe('demo world', () => {
  it('is a valid model.json: schema and invariants hold', () => {
    expect(validateModelSchema(JSON.parse(JSON.stringify(world)))).toEqual({ ok: true });
    expect(checkModelInvariants(world)).toEqual([]);
  });

  it('is deterministic and covers the requested days', () => {
    expect(JSON.stringify(demoWorld({ days: 2 }))).toBe(JSON.stringify(demoWorld({ days: 2 })));
    const three = demoWorld({ days: 3, start: new Date('2026-06-01T00:00:00Z') });
    expect(three.window).toEqual({ start: '2026-06-01T00:00:00.000Z', end: '2026-06-04T00:00:00.000Z' });
    for (const p of three.personas) expect(p.arrivals.counts).toHaveLength(72);
  });

  it('has the five personas in their intended proportions', () => {
    expect(world.personas.map((p) => p.name)).toEqual([...DEMO_PERSONAS]);
    const share = Object.fromEntries(world.personas.map((p) => [p.name, p.share]));
    expect(share['casual_browser']).toBeCloseTo(0.5, 1);
    expect(share['power_user']).toBeCloseTo(0.2, 1);
    expect(share['buyer']).toBeCloseTo(0.15, 1);
    expect(share['api_consumer']).toBeCloseTo(0.1, 1);
    expect(share['bot_crawler']).toBeCloseTo(0.05, 1);
  });

  it('keeps the personas\' behaviours clearly apart', () => {
    const casual = get('casual_browser');
    const power = get('power_user');
    const buyer = get('buyer');
    const api = get('api_consumer');
    const bot = get('bot_crawler');
    // Depth: casual sessions are short, power sessions deep
    expect(casual.requestsPerSession.p50).toBeGreaterThanOrEqual(2);
    expect(casual.requestsPerSession.p50).toBeLessThanOrEqual(6);
    expect(power.requestsPerSession.p50).toBeGreaterThanOrEqual(15);
    // Think: people ~20 s / ~8 s / ~15 s with human variability; the API is fast and regular
    expect(casual.thinkTime.p50).toBeCloseTo(20, 0);
    expect(power.thinkTime.p50).toBeCloseTo(8, 0);
    expect(buyer.thinkTime.p50).toBeCloseTo(15, 0);
    expect(cv(casual)).toBeGreaterThan(0.7);
    expect(cv(api)).toBeLessThan(0.2);
    expect(api.thinkTime.p50).toBeCloseTo(2, 0);
    expect(bot.thinkTime.p10).toBeGreaterThanOrEqual(1);
    expect(bot.thinkTime.p99).toBeLessThanOrEqual(3);
    // Writes: buyers write about a third of their pages; browsers and crawlers only read
    expect(buyer.writeRatio).toBeGreaterThan(0.25);
    expect(buyer.writeRatio).toBeLessThan(0.45);
    expect(casual.writeRatio).toBe(0);
    expect(bot.writeRatio).toBe(0);
    expect(power.states.every((s) => s.method === 'GET')).toBe(true);
    // Endpoints: API only for the API client, robots.txt first for crawlers, 8 literal categories
    expect(api.states.every((s) => s.path.startsWith('/api/v1/') && s.resources.length === 0)).toBe(true);
    expect(bot.entry).toEqual({ robots: 1 });
    expect(bot.isBot).toBe(true);
    expect(casual.states.filter((s) => /^\/c\/[a-z]+$/.test(s.path))).toHaveLength(8);
    expect(casual.states.find((s) => s.path === '/p/{sku}')?.resources).toContain('/img/p/{sku}.jpg');
    expect(casual.params['{sku}']?.length).toBeGreaterThan(1_000);
  });

  it('has evening peaks, different weekends and bursts (dispersion index above 1)', () => {
    const casual = get('casual_browser');
    const api = get('api_consumer');
    const how = casual.arrivals.hourOfWeek;
    expect(how).toHaveLength(168);
    // Monday 20:00 is busier than Monday 04:00
    expect(how[20] ?? 0).toBeGreaterThan(5 * (how[4] ?? 0));
    // Saturday noon is busier than Monday noon
    expect(how[5 * 24 + 12] ?? 0).toBeGreaterThan(how[12] ?? 0);
    expect(casual.arrivals.dispersionIndex).toBeGreaterThan(1);
    // The marketing email (Wednesday 10:00) stands out against Tuesday at the same hour
    expect(casual.arrivals.counts[2 * 24 + 10] ?? 0).toBeGreaterThan(2 * (casual.arrivals.counts[24 + 10] ?? 0));
    // The API is flat through business hours and quiet at night
    expect(api.arrivals.counts[10]).toBe(api.arrivals.counts[15]);
    expect(api.arrivals.counts[3] ?? 0).toBeLessThan((api.arrivals.counts[10] ?? 0) / 3);
    for (const p of world.personas) expect(p.sessions).toBe(p.arrivals.counts.reduce((a, b) => a + b, 0));
  });
});
