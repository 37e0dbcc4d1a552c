import { checkModelInvariants, validateModelSchema } from '../../../lib/core/model/validate-model-schema';
import { UserError } from '../../../lib/core/errors';
import { diffRuns } from '../../../lib/core/validation/diff-runs';
import { addState, baseRun, persona, renamePersona, setShare } from './runs';

describe('drift fixtures', () => {
  it('are valid models, before and after the edits the tests make', () => {
    // Given the fixture with a share doubled and a state added
    const b = baseRun('b');
    setShare(b, 'checkout_buyer', 0.2);
    setShare(b, 'casual_browser', 0.5);
    addState(b, 'casual_browser', { id: 's5', method: 'POST', path: '/api/v1/wishlist', share: 0.1 }, 's3', 0.1);
    // Then both still satisfy the model schema and its invariants
    for (const run of [baseRun('a'), b]) {
      expect(validateModelSchema(run.model)).toEqual({ ok: true });
      expect(checkModelInvariants(run.model)).toEqual([]);
    }
  });
});

describe('diffRuns', () => {
  it('keeps the load tests when nothing moved', () => {
    // Given the same traffic twice
    const report = diffRuns(baseRun('a'), baseRun('b'));
    // Then the verdict is keep, nothing is listed, and the profiles match exactly
    expect(report).toMatchObject({
      runA: 'a',
      runB: 'b',
      verdict: 'keep',
      personas: { appeared: [], vanished: [], shareChanged: [] },
      endpoints: { appeared: [], vanished: [] },
      thinkTimeShift: [],
    });
    expect(report.arrivalShift.correlation).toBeCloseTo(1, 12);
    expect(report.arrivalShift.volumeRatio).toBeCloseTo(1, 12);
    expect(report.reasons).toEqual(['no drift beyond thresholds: personas, endpoints, think times and arrivals still match']);
  });

  it('flags a persona whose share doubled and an endpoint that appeared', () => {
    // Given buyers going from 10% to 20% of sessions (browsers 60% -> 50%), and browsers calling a new endpoint
    const a = baseRun('a');
    const b = baseRun('b');
    setShare(b, 'checkout_buyer', 0.2);
    setShare(b, 'casual_browser', 0.5);
    addState(b, 'casual_browser', { id: 's5', method: 'POST', path: '/api/v1/wishlist', share: 0.1 }, 's3', 0.1);
    // When diffed
    const report = diffRuns(a, b);
    // Then the load tests must be refreshed, for exactly those two reasons
    expect(report.verdict).toBe('refresh');
    expect(report.personas.shareChanged).toEqual([{ name: 'checkout_buyer', from: 0.1, to: 0.2 }]);
    expect(report.endpoints).toEqual({ appeared: ['POST /api/v1/wishlist'], vanished: [] });
    expect(report.arrivalShift.volumeRatio).toBeCloseTo(1, 12);
    expect(report.reasons).toHaveLength(2);
    expect(report.reasons[0]).toBe(
      'persona checkout_buyer went from 10% to 20% of sessions (x2): the test\'s persona mix is stale',
    );
    expect(report.reasons[1]).toMatch(/^endpoint POST \/api\/v1\/wishlist appeared \(\d\.\d% of pages\): your load test never calls it$/);
  });

  it('lists but does not act on a tiny persona that doubled', () => {
    // Given a 0.5% persona that became 1% in personas.json
    const a = baseRun('a');
    const b = baseRun('b');
    const tiny = { ...a.personas.personas[0]!, name: 'odd_client', share: 0.005, sessions: 5 };
    a.personas.personas.push(tiny);
    b.personas.personas.push({ ...tiny, share: 0.01, sessions: 10 });
    // When diffed
    const report = diffRuns(a, b);
    // Then it is listed as changed, the verdict stays keep, and the reason mentions it as minor
    expect(report.personas.shareChanged).toEqual([{ name: 'odd_client', from: 0.005, to: 0.01 }]);
    expect(report.verdict).toBe('keep');
    expect(report.reasons[0]).toContain('1 minor change below thresholds: persona odd_client went from 0.5% to 1% of sessions');
  });

  it('reports personas that vanished and appeared', () => {
    // Given the API poller now recognised as a different behaviour
    const b = baseRun('b');
    renamePersona(b, 'api_poller', 'stock_scraper');
    // When diffed
    const report = diffRuns(baseRun('a'), b);
    // Then one vanished, one appeared, both reasons to refresh; endpoints did not change
    expect(report.personas).toMatchObject({ appeared: ['stock_scraper'], vanished: ['api_poller'] });
    expect(report.endpoints).toEqual({ appeared: [], vanished: [] });
    expect(report.verdict).toBe('refresh');
    expect(report.reasons).toEqual([
      'persona stock_scraper appeared with 30% of sessions: your load test never sends its traffic',
      'persona api_poller vanished (it had 30% of sessions): your load test still sends its traffic',
    ]);
  });

  it('does not call an endpoint new when it graduates from the merged "other" state', () => {
    // Given /about, part of casual_browser's `other` in run A, its own state in run B
    const b = baseRun('b');
    const other = persona(b, 'casual_browser').states.find((s) => s.id === 'other');
    if (!other) throw new Error('fixture lost its other state');
    other.templates = ['/help/{slug}'];
    addState(b, 'casual_browser', { id: 's6', method: 'GET', path: '/about', share: 0.02 }, 's1', 0.05);
    // When diffed
    const report = diffRuns(baseRun('a'), b);
    // Then no endpoint appeared or vanished
    expect(report.endpoints).toEqual({ appeared: [], vanished: [] });
    expect(report.verdict).toBe('keep');
  });

  it('lists a rare new endpoint without asking for a refresh', () => {
    // Given a new endpoint with 0.5% of the browsers' pages (about 0.2% of all pages)
    const b = baseRun('b');
    addState(b, 'casual_browser', { id: 's7', method: 'GET', path: '/careers', share: 0.005 }, 's1', 0.01);
    // When diffed
    const report = diffRuns(baseRun('a'), b);
    // Then it is listed, and the verdict is keep with the change noted as minor
    expect(report.endpoints.appeared).toEqual(['GET /careers']);
    expect(report.verdict).toBe('keep');
    expect(report.reasons[0]).toMatch(/minor change below thresholds: endpoint GET \/careers appeared \(0\.2% of pages\)/);
  });

  it('flags a median think time that moved by more than a quarter', () => {
    // Given browsers now pausing 20 s instead of 11 s between pages, and pollers 5 s -> 5.5 s
    const b = baseRun('b');
    persona(b, 'casual_browser').thinkTime.p50 = 20;
    persona(b, 'api_poller').thinkTime.p50 = 5.5;
    // When diffed
    const report = diffRuns(baseRun('a'), b);
    // Then only the browsers' shift (+82%) is flagged
    expect(report.thinkTimeShift).toEqual([{ name: 'casual_browser', fromP50: 11, toP50: 20 }]);
    expect(report.reasons).toEqual([
      "persona casual_browser's median think time went from 11 s to 20 s: the test paces its users too fast",
    ]);
  });

  it('flags arrivals that moved to the night and a volume that doubled', () => {
    // Given run B with every persona's sessions starting mostly between 00:00 and 04:00, twice as many
    const b = baseRun('b');
    for (const p of b.model.personas) {
      p.sessions *= 2;
      p.arrivals.counts = p.arrivals.counts.map((_, h) => (h < 4 ? 100 : 5));
    }
    // When diffed
    const report = diffRuns(baseRun('a'), b);
    // Then the profile correlation is low and the volume ratio is 2, both reasons to refresh
    expect(report.verdict).toBe('refresh');
    expect(report.arrivalShift.correlation).toBeLessThan(0.8);
    expect(report.arrivalShift.volumeRatio).toBeCloseTo(2, 12);
    expect(report.reasons[0]).toMatch(/^the hourly arrival profile changed: correlation -?0\.\d+ < 0\.8 \(per hour of day, a window being shorter than a week\)/);
    expect(report.reasons[1]).toBe('session starts went from 41.7 to 83.3 per hour (x2): the test\'s arrival rate is off by that much');
  });

  it('sees no drift in a week-long run that repeats the same day (profiles are means per covered hour)', () => {
    // Given run B covering seven days with run A's daily pattern each day, and seven times the sessions
    const b = baseRun('b');
    b.model.window = { start: '2026-11-02T00:00:00.000Z', end: '2026-11-09T00:00:00.000Z' };
    for (const p of b.model.personas) {
      p.sessions *= 7;
      const day = p.arrivals.counts;
      p.arrivals.counts = Array.from({ length: 7 }, () => day).flat();
      p.arrivals.hourOfWeek = Array.from({ length: 7 }, () => day).flat();
    }
    // When diffed against the one-day run A
    const report = diffRuns(baseRun('a'), b);
    // Then the daily profiles are the same and the hourly rate did not change
    expect(report.arrivalShift.correlation).toBeCloseTo(1, 12);
    expect(report.arrivalShift.volumeRatio).toBeCloseTo(1, 12);
    expect(report.verdict).toBe('keep');
  });

  it('refuses a model without sessions, naming the run', () => {
    const b = baseRun('run-b');
    for (const p of b.model.personas) p.sessions = 0;
    expect(() => diffRuns(baseRun('run-a'), b)).toThrow(UserError);
    expect(() => diffRuns(baseRun('run-a'), b)).toThrow(/^run run-b: its model has no sessions/);
  });
});
