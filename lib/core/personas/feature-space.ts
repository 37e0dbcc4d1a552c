/**
 * The space sessions are clustered in: which per-session features, how each is transformed, and the
 * standardisation fitted on the sample. The same transform is rendered as SQL (assign-sql.ts), so every
 * session, sampled or not, is measured with the sample's ruler.
 *
 * Feature choice (one question per feature: "does it tell behaviours apart?"):
 * - `pages` (log1p): session depth; separates power users (15-40 pages) from casual visitors (2-6).
 * - `unique_endpoints` (log1p): breadth; searching and comparing touch many templates, a bounce few.
 * - `think_median_s` (log1p): pace; machines wait ~1-2 s, people 5-30 s. The median, not the mean, so
 *   one coffee break does not turn a person into a slow machine.
 * - `think_cv` (log1p): regularity; ~0 for schedulers and polling clients, ~1 for people.
 * - `requests_per_minute` (log1p): request rate, assets included; browsers burst page resources,
 *   integrations do not.
 * - `write_ratio`, `checkout_share`: buying (cart, checkout, payment POSTs) vs reading.
 * - `api_share`: integrations call API prefixes; browsers load pages.
 * - `asset_ratio`: browsers fetch page resources, HTTP libraries and scrapers mostly skip them.
 * - `machine_ua` (optional, when the features SQL provides it): HTTP-library user agents (curl,
 *   python-requests, okhttp, ...): integrations that do not pretend to be browsers.
 * Left out on purpose: `requests` and `duration_s` (pages x assets and pages x think: counted twice
 * otherwise), `mean_response_ms` and `error_rate` (properties of the server more than of the client:
 * the seed clustered on them and grouped by slow endpoints instead of by behaviour), `night_share`
 * (splits one behaviour by timezone), `is_bot_ua` and `robots_hits` (bots are labelled before
 * clustering, label-bots.ts). Counts, durations and rates are heavy-tailed, so they are log1p'ed before
 * standardising; shares are bounded in [0, 1] and kept as they are.
 */
import type { FlatPoints } from './flat-points';

/** A sample of session feature rows, column-wise (booleans as 0/1). */
export type FeatureColumns = Record<string, Float64Array>;

export type FeatureTransformKind = 'log1p' | 'identity';

export interface FeatureSpec {
  readonly column: string;
  readonly transform: FeatureTransformKind;
  /** Used only when the column is present in the sample. */
  readonly optional?: boolean;
  /** Defined only for sessions with at least this many pages; shorter sessions take the mean. */
  readonly minPages?: number;
}

/** The column `minPages` refers to. */
export const PAGES_COLUMN = 'pages';

export const FEATURE_SPECS: readonly FeatureSpec[] = [
  { column: 'pages', transform: 'log1p' },
  { column: 'unique_endpoints', transform: 'log1p' },
  { column: 'think_median_s', transform: 'log1p', minPages: 2 },
  { column: 'think_cv', transform: 'log1p', minPages: 3 },
  { column: 'requests_per_minute', transform: 'log1p' },
  { column: 'write_ratio', transform: 'identity' },
  { column: 'checkout_share', transform: 'identity' },
  { column: 'api_share', transform: 'identity' },
  { column: 'asset_ratio', transform: 'identity' },
  { column: 'machine_ua', transform: 'identity', optional: true },
];

/** One feature of the fitted space: z = (f(x) - mean) / std. */
export interface FittedFeature {
  readonly column: string;
  readonly transform: FeatureTransformKind;
  readonly mean: number;
  readonly std: number;
  /** Sessions with fewer pages take f = mean (see the header). */
  readonly minPages?: number;
}

export interface FeatureTransform {
  readonly features: readonly FittedFeature[];
}

/** Below this spread a feature is constant in the sample: it keeps std 1 and cannot separate anything. */
const MIN_STD = 1e-9;

/** Centre values smaller than this in original units are reported as 0. */
const ROUNDING_NOISE = 1e-12;

/**
 * The value a missing or non-numeric input takes, mirroring `COALESCE(..., 0)` in SQL; negatives are
 * clamped to 0 before log1p as `greatest(x, 0)` does, so JS and SQL agree on every input.
 */
export function cleanValue(x: number | undefined): number {
  return x === undefined || Number.isNaN(x) ? 0 : x;
}

/**
 * f(x). `Math.log(1 + x)` rather than `Math.log1p`: SQL evaluates `ln(1 + x)`, and assignment must give
 * the same answer in both (log1p's extra precision only matters for x < 1e-8, irrelevant here).
 */
export function applyTransform(kind: FeatureTransformKind, raw: number): number {
  const x = cleanValue(raw);
  return kind === 'log1p' ? Math.log(1 + Math.max(x, 0)) : x;
}

/** f(x) of one feature of a row, with the mean standing in where the feature is undefined. */
export function featureValue(feature: Pick<FittedFeature, 'transform' | 'mean' | 'minPages'>, raw: number, pages: number): number {
  if (feature.minPages !== undefined && !(cleanValue(pages) >= feature.minPages)) return feature.mean;
  return applyTransform(feature.transform, raw);
}

/** Inverse of f, to report centres in original units (pages, seconds, shares). */
export function invertTransform(kind: FeatureTransformKind, value: number): number {
  return kind === 'log1p' ? Math.expm1(value) : value;
}

/** The specs usable with these columns; throws naming every missing required column. */
export function selectFeatureSpecs(columns: FeatureColumns, specs: readonly FeatureSpec[] = FEATURE_SPECS): FeatureSpec[] {
  const missing = specs.filter((s) => !s.optional && columns[s.column] === undefined).map((s) => s.column);
  if (missing.length > 0) {
    throw new Error(`persona features: sample lacks column(s) ${missing.join(', ')}; the features SQL must select them`);
  }
  return specs.filter((s) => columns[s.column] !== undefined);
}

/** Mean and standard deviation (population) of f(x) per feature over the given rows. */
export function fitTransform(columns: FeatureColumns, specs: readonly FeatureSpec[], rows: readonly number[]): FeatureTransform {
  const pages = columns[PAGES_COLUMN];
  const features = specs.map((spec): FittedFeature => {
    const col = columnOf(columns, spec.column);
    const min = spec.minPages;
    const defined = min === undefined ? rows : rows.filter((r) => cleanValue(pages?.[r]) >= min);
    let sum = 0;
    for (const r of defined) sum += applyTransform(spec.transform, col[r]!);
    const mean = defined.length > 0 ? sum / defined.length : 0;
    let sq = 0;
    for (const r of defined) {
      const d = applyTransform(spec.transform, col[r]!) - mean;
      sq += d * d;
    }
    const std = defined.length > 0 ? Math.sqrt(sq / defined.length) : 0;
    const fitted = { column: spec.column, transform: spec.transform, mean, std: std > MIN_STD ? std : 1 };
    return min === undefined ? fitted : { ...fitted, minPages: min };
  });
  return { features };
}

/** Standardised points of the given rows, in order. */
export function standardiseRows(transform: FeatureTransform, columns: FeatureColumns, rows: readonly number[]): number[][] {
  const cols = transform.features.map((f) => columnOf(columns, f.column));
  const pages = columns[PAGES_COLUMN];
  return rows.map((r) =>
    transform.features.map((f, j) => (featureValue(f, cols[j]![r]!, pages?.[r] ?? 0) - f.mean) / f.std),
  );
}

/** Standardised points of the given rows, in order, as one flat array (what the clustering loops walk). */
export function standardisePoints(transform: FeatureTransform, columns: FeatureColumns, rows: readonly number[]): FlatPoints {
  const dims = transform.features.length;
  const data = new Float64Array(rows.length * dims);
  const pages = columns[PAGES_COLUMN];
  transform.features.forEach((f, j) => {
    const col = columnOf(columns, f.column);
    rows.forEach((r, i) => {
      data[i * dims + j] = (featureValue(f, col[r]!, pages?.[r] ?? 0) - f.mean) / f.std;
    });
  });
  return { data, n: rows.length, dims };
}

/** A standardised centre back in original units, keyed by column. */
export function centreInOriginalUnits(transform: FeatureTransform, centre: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  transform.features.forEach((f, j) => {
    const v = invertTransform(f.transform, (centre[j] ?? 0) * f.std + f.mean);
    // Rounding noise of the standardise/invert round trip (-2e-15 for a share that is 0) reads as a bug.
    out[f.column] = Math.abs(v) < ROUNDING_NOISE ? 0 : v;
  });
  return out;
}

export function columnOf(columns: FeatureColumns, name: string): Float64Array {
  const col = columns[name];
  if (col === undefined) throw new Error(`persona features: sample lacks column ${name}`);
  return col;
}

/** Number of rows; throws when the columns disagree (a bug in whoever built them). */
export function rowCount(columns: FeatureColumns): number {
  let n: number | undefined;
  for (const [name, col] of Object.entries(columns)) {
    if (n === undefined) n = col.length;
    else if (col.length !== n) throw new Error(`persona features: column ${name} has ${col.length} rows, expected ${n}`);
  }
  return n ?? 0;
}
