import {
  figuresFromSessions,
  foldToHourOfDay,
  hourOfWeek,
  type FigureSession,
} from '../../../lib/core/validation/figures';
import { DAY_START } from './traffic';

const MONDAY_10 = DAY_START + 10 * 3600;
const SUNDAY_2330 = DAY_START + 6 * 86400 + 23.5 * 3600;

function shopper(): FigureSession {
  return {
    persona: 'buyer',
    requests: [
      // Deliberately out of order: a capture may log responses as they finish.
      { tStart: MONDAY_10 + 10.1, tEnd: MONDAY_10 + 10.2, method: 'GET', template: '/p/123', status: 200, isAsset: false },
      { tStart: MONDAY_10, tEnd: MONDAY_10 + 0.1, method: 'GET', template: '/', status: 200, isAsset: false },
      { tStart: MONDAY_10 + 0.2, tEnd: MONDAY_10 + 0.3, method: 'GET', template: '/static/app.js', status: 404, isAsset: true },
      { tStart: MONDAY_10 + 15.1, tEnd: MONDAY_10 + 15.5, method: 'post', template: '/cart', status: 500, isAsset: false },
    ],
  };
}

function lateVisitor(): FigureSession {
  return {
    persona: 'browser',
    requests: [{ tStart: SUNDAY_2330, tEnd: SUNDAY_2330 + 0.2, method: 'GET', template: '/', status: 200, isAsset: false }],
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
