import { buildPlan, compressArrivals, littleUsers } from '../../../lib/core/scenarios/plan';
import { resolveScenarioOptions } from '../../../lib/core/scenarios/options';
import { k6Stages } from '../../../lib/core/scenarios/compile-k6';
import { artilleryPhases } from '../../../lib/core/scenarios/compile-artillery';
import { OptionError } from '../../../lib/core/errors';
import { fixtureModel, simulatedMix, writeRatio } from './support';

const plan = (o = {}) => buildPlan(fixtureModel(), resolveScenarioOptions(o));

describe('stage compression', () => {
  it('squeezes the day into the duration at production rate times scale', () => {
    // Given a day of hourly session starts (24 buckets)
    const arrivals = { bucketSeconds: 3600, start: '', counts: Array.from({ length: 24 }, (_, h) => (h === 12 ? 7200 : 3600)), hourOfWeek: [], dispersionIndex: 1 };
    // When compressed into 240 s at 2x
    const segments = compressArrivals({ arrivals }, { durationSeconds: 240, scale: 2 });
    // Then each hour lasts 10 s, at 2 sessions/s (4 at the noon peak)
    expect(segments).toHaveLength(24);
    expect(segments[0]).toEqual({ startSeconds: 0, seconds: 10, ratePerSecond: 2 });
    expect(segments[12]!.ratePerSecond).toBe(4);
  });

  it('merges buckets when there are more than fit, keeping the total', () => {
    const counts = Array.from({ length: 168 }, (_, i) => i % 7);
    const segments = compressArrivals({ arrivals: { bucketSeconds: 3600, start: '', counts, hourOfWeek: [], dispersionIndex: 1 } }, { durationSeconds: 600, scale: 1 });
    expect(segments.length).toBeLessThanOrEqual(48);
    const meanRate = segments.reduce((a, s) => a + s.ratePerSecond * s.seconds, 0) / 600;
    expect(meanRate).toBeCloseTo(counts.reduce((a, b) => a + b, 0) / (168 * 3600), 12);
  });

  it('gives k6 integer targets in a unit fine enough to follow the curve', () => {
    const p = plan({ durationSeconds: 120 }).personas[0]!;
    const { timeUnit, stages } = k6Stages(p);
    // casual_browser peaks at 0.25 sessions/s: 15 per minute is too coarse, 150 per 10 minutes is not
    expect(p.peakRatePerSecond).toBeCloseTo(0.25, 10);
    expect(timeUnit).toBe('10m');
    expect(stages.every((s) => Number.isInteger(s.target))).toBe(true);
    const seconds = stages.reduce((a, s) => a + Number(s.duration.replace('s', '')), 0);
    expect(seconds).toBeCloseTo(120, 6);
  });

  it('gives Artillery phases whose arrivals add up to the sessions of the curve', () => {
    const p = plan({ durationSeconds: 60, scale: 10 });
    const phases = artilleryPhases(p.personas.map((x) => x.segments), 60);
    const arrivals = phases.reduce((a, ph) => a + ('arrivalCount' in ph ? ph.arrivalCount : 0), 0);
    const expected = p.personas.reduce((a, x) => a + x.meanRatePerSecond * 60, 0);
    expect(Math.abs(arrivals - expected)).toBeLessThanOrEqual(1);
  });
});

describe("Little's law weights (Locust is a closed model)", () => {
  it('weights users by arrival rate times session duration, not by share of sessions', () => {
    // Given the buyer (long sessions) and the bot (short sessions)
    const p = plan();
    const buyer = p.personas.find((x) => x.name === 'buyer')!;
    const bot = p.personas.find((x) => x.name === 'inventory_bot')!;
    // When users are sized for the same arrival rate
    const ratio = littleUsers(1, buyer, 1) / littleUsers(1, bot, 1);
    // Then a buyer occupies a user for as many times longer as its sessions last
    const duration = (x: typeof buyer) => x.thinkSecondsPerSession + x.responseSecondsPerSession;
    expect(ratio).toBeCloseTo(duration(buyer) / duration(bot), 10);
    expect(ratio).toBeGreaterThan(3);
    // And THINK_SCALE shrinks only the thinking, not the server's time
    expect(littleUsers(1, bot, 0)).toBeCloseTo(bot.responseSecondsPerSession, 10);
  });
});

describe('write safety', () => {
  it('leaves dangerous templates out unless --allow-writes matches them', () => {
    const byDefault = plan();
    expect(byDefault.dropped).toEqual([{ persona: 'buyer', endpoint: 'POST /payment/{orderId}/charge', reason: 'dangerous' }]);
    const allowed = plan({ allowWrites: '^POST /payment/' });
    expect(allowed.dropped).toEqual([]);
  });

  it('drops every write with --writes off and keeps the read mix of the model', () => {
    // Given writes off
    const p = plan({ writes: 'off' });
    // Then no write is left, and the reads keep their relative frequencies
    expect(p.personas.flatMap((x) => x.states).some((s) => s.isWrite)).toBe(false);
    const buyer = p.personas.find((x) => x.name === 'buyer')!;
    const reads = simulatedMix(fixtureModel(), { personas: ['buyer'], dropState: (m) => m !== 'GET' });
    const total = Object.values(buyer.visits).reduce((a, b) => a + b, 0);
    for (const s of buyer.states) expect((buyer.visits[s.id] ?? 0) / total).toBeCloseTo(reads.get(`${s.method} ${s.label}`) ?? 0, 2);
    expect(writeRatio(reads)).toBe(0);
  });

  it('rejects a malformed --allow-writes pattern and unknown personas with a clear message', () => {
    expect(() => resolveScenarioOptions({ allowWrites: '(' })).toThrow(OptionError);
    expect(() => plan({ personas: ['nobody'] })).toThrow(/no persona "nobody".*known: casual_browser, buyer, inventory_bot/);
    expect(() => plan({ personas: ['inventory_bot'], excludeBots: true })).toThrow(/no persona left/);
  });

  it('keeps only the chosen personas and leaves bots out on request', () => {
    expect(plan({ excludeBots: true }).personas.map((x) => x.name)).toEqual(['casual_browser', 'buyer']);
    expect(plan({ personas: ['buyer'] }).personas.map((x) => x.name)).toEqual(['buyer']);
  });
});
