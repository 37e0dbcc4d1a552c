import {
  figuresFromSessions,
  foldToHourOfDay,
  hourOfWeek,
  templateMatcher,
  type FigureSession,
} from '../../../lib/core/validation/figures';
import { baseRun, persona } from './runs';
import { DAY_START } from './traffic';

const MONDAY_10 = DAY_START + 10 * 3600;
const SUNDAY_2330 = DAY_START + 6 * 86400 + 23.5 * 3600;

function shopper(): FigureSession {
  return {
    persona: 'buyer',
    requests: [
      // Deliberately out of order: a capture may log responses as they finish.
      { tStart: MONDAY_10 + 10.1, tEnd: MONDAY_10 + 10.2, method: 'GET', path: '/p/123', status: 200, isAsset: false },
      { tStart: MONDAY_10, tEnd: MONDAY_10 + 0.1, method: 'GET', path: '/', status: 200, isAsset: false },
      { tStart: MONDAY_10 + 0.2, tEnd: MONDAY_10 + 0.3, method: 'GET', path: '/static/app.js', status: 404, isAsset: true },
      { tStart: MONDAY_10 + 15.1, tEnd: MONDAY_10 + 15.5, method: 'post', path: '/cart', status: 500, isAsset: false },
    ],
  };
}

function lateVisitor(): FigureSession {
  return {
    persona: 'browser',
    requests: [{ tStart: SUNDAY_2330, tEnd: SUNDAY_2330 + 0.2, method: 'GET', path: '/', status: 200, isAsset: false }],
  };
}

const templateOf = (path: string): string => path.replace(/\/\d+(?=\/|$)/g, '/{id}');

describe('hourOfWeek', () => {
  it('counts from Monday 00:00 UTC to Sunday 23:00 UTC', () => {
    expect(hourOfWeek(DAY_START)).toBe(0);
    expect(hourOfWeek(MONDAY_10)).toBe(10);
    expect(hourOfWeek(SUNDAY_2330)).toBe(167);
  });

  it('folds a week into hours of day by summing the seven days', () => {
    const week = Array.from({ length: 168 }, (_, h) => (h % 24 === 14 ? 2 : 0));
    const day = foldToHourOfDay(week);
    expect(day).toHaveLength(24);
    expect(day[14]).toBe(14);
    expect(day.reduce((a, b) => a + b, 0)).toBe(14);
  });
});

describe('figuresFromSessions', () => {
  it('measures pages only: assets count nowhere, not even their errors', () => {
    // Given a session with three pages and a failing asset
    // When its figures are computed, with filled paths mapped back to templates
    const f = figuresFromSessions([shopper()], { templateOf });
    // Then only pages are counted, under METHOD /template keys
    expect(f.endpointCounts).toEqual({ 'GET /': 1, 'GET /p/{id}': 1, 'POST /cart': 1 });
    expect(f.pages).toBe(3);
    expect(f.requestsPerSession).toEqual([3]);
    expect(f.errorRate).toBeCloseTo(1 / 3, 12);
    expect(f.writeRatio).toBeCloseTo(1 / 3, 12);
  });

  it('takes think time from the end of one page to the start of the next, in time order', () => {
    const f = figuresFromSessions([shopper()], { templateOf });
    // / ends at +0.1, /p/123 starts at +10.1; /p/123 ends at +10.2, /cart starts at +15.1
    // (5 digits: epoch seconds near 1.8e9 carry ~1e-7 s of floating-point error)
    expect(f.thinkTimes).toHaveLength(2);
    expect(f.thinkTimes[0]).toBeCloseTo(10, 5);
    expect(f.thinkTimes[1]).toBeCloseTo(4.9, 5);
  });

  it('leaves out gaps longer than the think-time cap (the user left and came back)', () => {
    const f = figuresFromSessions([shopper()], { templateOf, maxThinkSeconds: 5 });
    expect(f.thinkTimes).toHaveLength(1);
    expect(f.thinkTimes[0]).toBeCloseTo(4.9, 5);
  });

  it('places session starts by hour of week and splits every figure per persona', () => {
    // Given a Monday-morning buyer and a Sunday-night browser
    const f = figuresFromSessions([shopper(), lateVisitor()], { templateOf });
    // Then arrivals land in hour 10 and hour 167
    expect(f.sessions).toBe(2);
    expect(f.arrivalsByHourOfWeek[10]).toBe(1);
    expect(f.arrivalsByHourOfWeek[167]).toBe(1);
    expect(f.arrivalsByHourOfWeek.reduce((a, b) => a + b, 0)).toBe(2);
    // And each persona has its own figures, observed over the whole window
    expect(f.perPersona?.['buyer']?.endpointCounts['POST /cart']).toBe(1);
    expect(f.perPersona?.['browser']?.endpointCounts).toEqual({ 'GET /': 1 });
    expect(f.perPersona?.['browser']?.windowSeconds).toBe(f.windowSeconds);
    expect(f.windowSeconds).toBeCloseTo(SUNDAY_2330 + 0.2 - MONDAY_10, 6);
  });

  it('reports the peak as the busiest bucket\'s pages per second', () => {
    // Given three pages within one minute and one page in another hour
    const f = figuresFromSessions([shopper(), lateVisitor()], { templateOf, peakBucketSeconds: 60 });
    // Then the peak is 3 pages over 60 s
    expect(f.peakRps).toBeCloseTo(3 / 60, 12);
  });

  it('uses the given window instead of the span of the requests', () => {
    const f = figuresFromSessions([shopper()], { window: { start: DAY_START, end: DAY_START + 7 * 86400 } });
    expect(f.windowSeconds).toBe(7 * 86400);
  });

  it('gives zeros, not NaN, for no traffic', () => {
    const f = figuresFromSessions([]);
    expect(f).toMatchObject({ sessions: 0, pages: 0, errorRate: 0, writeRatio: 0, peakRps: 0, windowSeconds: 0 });
    expect(f.perPersona).toEqual({});
  });
});

describe('templateMatcher', () => {
  function matcher(): (path: string, method: string) => string {
    // Given the fixture model plus a literal /p/new next to /p/{id}, and a search with query keys
    const run = baseRun('a');
    const browser = persona(run, 'casual_browser');
    const extra = { resources: [], share: 0, responseTimeMs: { p50: 1, p90: 1, p99: 1 }, errorRate: 0 };
    browser.states.push({ ...extra, id: 's8', method: 'GET', path: '/p/new' });
    browser.states.push({ ...extra, id: 's9', method: 'GET', path: '/search?page={page}&q={q}' });
    return templateMatcher(run.model);
  }

  it('maps filled paths back to the most specific template of the model', () => {
    const templateOf = matcher();
    expect(templateOf('/p/10423', 'GET')).toBe('/p/{id}');
    expect(templateOf('/p/new', 'GET')).toBe('/p/new');
    expect(templateOf('/api/v1/stock/77', 'GET')).toBe('/api/v1/stock/{id}');
    expect(templateOf('/search?page=2&q=red%20shoes', 'GET')).toBe('/search?page={page}&q={q}');
  });

  it('matches a path by its method first, each time it is asked', () => {
    // Given a model with GET /orders/{id} and DELETE /orders/{order}, and one path asked with both
    const run = baseRun('a');
    const browser = persona(run, 'casual_browser');
    const extra = { resources: [], share: 0, responseTimeMs: { p50: 1, p90: 1, p99: 1 }, errorRate: 0 };
    browser.states.push({ ...extra, id: 's8', method: 'GET', path: '/orders/{id}' });
    browser.states.push({ ...extra, id: 's9', method: 'DELETE', path: '/orders/{order}' });
    const templateOf = templateMatcher(run.model);
    // Then each method gets its own template, also when the path comes again
    for (let i = 0; i < 2; i++) {
      expect(templateOf('/orders/42', 'DELETE')).toBe('/orders/{order}');
      expect(templateOf('/orders/42', 'GET')).toBe('/orders/{id}');
    }
  });

  it('knows the templates merged into `other`', () => {
    expect(matcher()('/help/returns', 'GET')).toBe('/help/{slug}');
  });

  it('keeps an unknown path as its own endpoint, without query values', () => {
    const templateOf = matcher();
    expect(templateOf('/admin/users', 'GET')).toBe('/admin/users');
    expect(templateOf('/login?token=abc123&next=/', 'POST')).toBe('/login?next={next}&token={token}');
  });

  it('lets figuresFromSessions count simulated (filled) requests under model endpoints', () => {
    // Given a session of filled paths, as the simulator or a captured load test logs them
    const session: FigureSession = {
      persona: 'casual_browser',
      requests: [
        { tStart: DAY_START, tEnd: DAY_START + 0.1, method: 'GET', path: '/p/1', status: 200, isAsset: false },
        { tStart: DAY_START + 5, tEnd: DAY_START + 5.1, method: 'GET', path: '/p/2', status: 200, isAsset: false },
        { tStart: DAY_START + 9, tEnd: DAY_START + 9.1, method: 'POST', path: '/cart', status: 201, isAsset: false },
      ],
    };
    // When figures are computed with the model's matcher
    const f = figuresFromSessions([session], { templateOf: matcher() });
    // Then both product pages count as one endpoint
    expect(f.endpointCounts).toEqual({ 'GET /p/{id}': 2, 'POST /cart': 1 });
  });
});
