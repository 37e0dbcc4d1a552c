import { assignColumns, fitPersonas, OUTLIER_PERSONA, PERSONAS_DEFAULTS, summarisePersonas } from '../../../lib/core/personas';
import { kneeOfAscending } from '../../../lib/core/personas/k-distance-knee';
import type { FeatureColumns } from '../../../lib/core/personas/feature-space';
import { syntheticSessions } from './synthetic-sessions';

/** Appends `count` attack-like sessions: thousands of pages, no pauses, all writes, every endpoint. */
function withOutliers(columns: FeatureColumns, count: number): { columns: FeatureColumns; injected: number[] } {
  const n = columns['pages']!.length;
  const out: FeatureColumns = {};
  const attack: Record<string, number> = {
    requests: 9_000, pages: 9_000, unique_endpoints: 3_000, mean_response_ms: 900, duration_s: 300, error_rate: 0.9,
    write_ratio: 1, think_mean_s: 0.03, think_median_s: 0.03, think_cv: 3, asset_ratio: 0, requests_per_minute: 1_800,
    api_share: 0.5, checkout_share: 0.5, robots_hits: 0, night_share: 1, is_bot_ua: 0, machine_ua: 0,
  };
  for (const [name, col] of Object.entries(columns)) {
    const next = new Float64Array(n + count);
    next.set(col);
    for (let i = 0; i < count; i++) next[n + i] = (attack[name] ?? 0) * (1 + i / 50);
    out[name] = next;
  }
  return { columns: out, injected: Array.from({ length: count }, (_, i) => n + i) };
}

describe('DBSCAN personas', () => {
  it('reports injected attack sessions as noise, not as a persona', () => {
    // Given 3000 sessions plus 12 attack-like sessions
    const { columns, injected } = withOutliers(syntheticSessions(3_000, 5).columns, 12);
    // When fitted with DBSCAN on all of them (a DBSCAN sample large enough to hold every session)
    const fit = fitPersonas(columns, { algorithm: 'dbscan', config: { ...PERSONAS_DEFAULTS, dbscanSampleSize: 4_000 } });
    // Then every injected session is noise in the sample and assigned `outlier`
    expect(fit.algorithm).toBe('dbscan');
    expect(fit.dbscan!.noiseRows).toEqual(expect.arrayContaining(injected));
    expect(fit.dbscan!.minPts).toBe(20);
    expect(fit.dbscan!.eps).toBeGreaterThan(0);
    const names = assignColumns(fit, columns);
    expect(injected.map((i) => names[i])).toEqual(injected.map(() => OUTLIER_PERSONA));
    // And most ordinary sessions do get a persona
    expect(names.filter((x) => x === OUTLIER_PERSONA).length).toBeLessThan(0.05 * names.length);
    // And personas.json reports the outliers with examples
    const counts: Record<string, number> = {};
    for (const x of names) counts[x] = (counts[x] ?? 0) + 1;
    const file = summarisePersonas(fit, counts, undefined, ['s-1']);
    expect(file.outliers).toEqual({ sessions: counts[OUTLIER_PERSONA], share: counts[OUTLIER_PERSONA]! / names.length, examples: ['s-1'] });
    expect(file.personas.some((p) => p.name === OUTLIER_PERSONA)).toBe(false);
  });

  it('takes eps at the knee of the k-distance curve', () => {
    // Given a flat curve that shoots up at the end
    const curve = Float64Array.from([...Array.from({ length: 90 }, (_, i) => 1 + i * 0.01), 5, 10, 20, 40, 80, 120, 160, 200, 250, 300]);
    // Then the knee sits where it leaves the flat part, not at the end
    const knee = kneeOfAscending(curve);
    expect(knee).toBeGreaterThan(1.5);
    expect(knee).toBeLessThan(50);
  });
});
