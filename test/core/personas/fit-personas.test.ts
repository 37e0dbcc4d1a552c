import { adjustedRandIndex, assignColumns, fitPersonas, summarisePersonas, type PersonaFit } from '../../../lib/core/personas';
import { seedRecipe } from '../../../lib/core/personas/seed-recipe';
import { PERSONAS_DEFAULTS } from '../../../lib/core/personas/persona-config';
import { syntheticSessions, pickRows, type SyntheticSessions } from './synthetic-sessions';

const share = (a: readonly string[], b: readonly string[]): number => a.filter((x, i) => x === b[i]).length / a.length;

describe('fitPersonas on sessions with five known personas', () => {
  let data: SyntheticSessions;
  let fit: PersonaFit;
  let names: string[];

  beforeAll(() => {
    // Given 20k sessions of casual browsers, power users, buyers, API consumers and crawlers
    data = syntheticSessions(20_000, 7);
    // When personas are fitted with the defaults (k auto) and every session is assigned
    fit = fitPersonas(data.columns);
    names = assignColumns(fit, data.columns);
  });

  it('recovers the personas (ARI >= 0.9) and names >= 90% of sessions correctly', () => {
    // Then the partition matches the truth and the names are the behaviours', not cluster numbers
    expect(adjustedRandIndex(names, data.truth)).toBeGreaterThanOrEqual(0.9);
    expect(share(names, data.truth)).toBeGreaterThanOrEqual(0.9);
    expect(fit.personas.map((p) => p.name).sort()).toEqual(['api_consumer', 'bot_crawler', 'buyer', 'casual_browser', 'power_user']);
  });

  it('beats the seed recipe (fixed k=4, names by cluster number) by a clear margin', () => {
    // Given the seed's recipe on the same sessions
    const seed = seedRecipe(data.columns, 42);
    // Then its ARI is at least 0.3 lower and its names are right far less often
    const ours = adjustedRandIndex(names, data.truth);
    const theirs = adjustedRandIndex(seed, data.truth);
    expect(ours - theirs).toBeGreaterThanOrEqual(0.3);
    expect(share(names, data.truth) - share(seed, data.truth)).toBeGreaterThanOrEqual(0.3);
  });

  it('chooses k automatically and keeps the silhouette score of every candidate', () => {
    expect(fit.kSelection.mode).toBe('auto');
    expect(fit.k).toBe(4);
    expect(fit.kSelection.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(fit.kSelection.sampleSize).toBe(2_000);
  });

  it('records readable evidence with values and thresholds for each name', () => {
    const api = fit.personas.find((p) => p.name === 'api_consumer')!;
    expect(api.evidence.map((e) => e.feature)).toEqual(expect.arrayContaining(['think_cv', 'api_share']));
    const cv = api.evidence.find((e) => e.feature === 'think_cv')!;
    expect(cv.value).toBeLessThan(0.35);
    expect(cv.condition).toBe('<= 0.35');
    expect(cv.says).toMatch(/machine-regular/);
    const buyer = fit.personas.find((p) => p.name === 'buyer')!;
    expect(buyer.rule).toMatch(/^buyer:/);
    expect(buyer.evidence.some((e) => e.feature === 'write_ratio' && e.value >= 0.1)).toBe(true);
    const bots = fit.personas.find((p) => p.name === 'bot_crawler')!;
    expect(bots.isBot).toBe(true);
    expect(bots.evidence[0]!.says).toMatch(/declare a known bot user agent/);
  });

  it('summarises into personas.json with shares over all sessions', () => {
    // Given counts per persona over every session
    const counts: Record<string, number> = {};
    for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
    // When summarised
    const file = summarisePersonas(fit, counts);
    // Then sizes and shares add up, and each persona keeps its rule and evidence
    expect(file.personas.reduce((s, p) => s + p.sessions, 0)).toBe(data.n);
    expect(file.personas.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 10);
    expect(file.features).toContain('think_cv');
    expect(file.personas.every((p) => p.evidence.length > 0 && p.rule.length > 0)).toBe(true);
    expect(file.outliers).toBeUndefined();
  });

  it('gives the same personas for the same sessions in another row order', () => {
    // Given a third of the sessions, and the same sessions shuffled
    const rows = Array.from({ length: 6_000 }, (_, i) => i);
    const shuffled = [...rows].reverse().sort((a, b) => ((a * 7919) % 6000) - ((b * 7919) % 6000));
    const a = fitPersonas(pickRows(data.columns, rows));
    const b = fitPersonas(pickRows(data.columns, shuffled));
    // Then names, centres and k are identical
    expect(b.personas.map((p) => p.name)).toEqual(a.personas.map((p) => p.name));
    expect(b.personas.map((p) => p.center)).toEqual(a.personas.map((p) => p.center));
    expect(b.kSelection).toEqual(a.kSelection);
  });

  it('forces k with a number and qualifies duplicate names by what differs', () => {
    // Given k forced above the true number of human personas
    const forced = fitPersonas(pickRows(data.columns, Array.from({ length: 6_000 }, (_, i) => i)), { k: 6 });
    const human = forced.personas.filter((p) => !p.isBot);
    // Then there are six human personas with unique behaviour names, no numeric suffixes
    expect(forced.kSelection.mode).toBe('fixed');
    expect(human).toHaveLength(6);
    const all = forced.personas.map((p) => p.name);
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((n) => !/_\d+$/.test(n))).toBe(true);
    const qualified = human.filter((p) => p.rule.includes('qualified by'));
    expect(qualified.every((p) => p.evidence.at(-1)!.says.includes('than in the other'))).toBe(true);
  });

  it('rejects a forced k larger than the sample', () => {
    const tiny = pickRows(data.columns, [0, 1, 2, 3, 4].map((i) => data.truth.indexOf('casual_browser', i * 10)));
    expect(() => fitPersonas(tiny, { k: 9 })).toThrow(/--k 9 exceeds the 5 non-bot sessions/);
  });
});

describe('a kind that k-means splits into clusters the naming rules cannot tell apart', () => {
  it('stays one persona per name, and personas.json keeps the k the silhouette chose', () => {
    // Given sessions of one machine behaviour, API consumers, next to the browsers, and a k=1 threshold
    // so low that the silhouette splits the API consumers anyway
    const data = syntheticSessions(6_000, 11, { casual_browser: 0.5, power_user: 0.2, api_consumer: 0.3 });
    const config = { ...PERSONAS_DEFAULTS, singleClusterSilhouetteMax: 0 };
    // When personas are fitted
    const fit = fitPersonas(data.columns, { config });
    // Then the API consumers are one persona, not api_consumer_rapid, api_consumer_deep, ...
    const machine = fit.groups.find((g) => g.kind === 'machine')!;
    expect(fit.personas.filter((p) => p.name.startsWith('api_consumer')).map((p) => p.name)).toEqual(['api_consumer']);
    expect(machine.k).toBe(1);
    expect(machine.silhouetteK).toBeGreaterThan(1);
    const file = summarisePersonas(fit, Object.fromEntries(fit.personas.map((p) => [p.name, p.sampleSessions])));
    expect(file.kSelectionByKind?.find((k) => k.kind === 'machine')).toMatchObject({ k: 1, silhouetteK: machine.silhouetteK });
  });
});
