/**
 * The contracts of Loadprint in one place: the run folder's files (manifest.json, personas.json,
 * model.json, validation.json), the canonical request and session columns the SQL produces, and the
 * ports (SQL engine, results store, logger, clock) that domain code receives instead of touching the
 * outside world. shared/DESIGN.md is the prose version of this file; keep them in step.
 */

/** Log formats Loadprint reads. `auto` is resolved to one of these before parsing. */
export type LogFormat = 'alb' | 'cloudfront' | 'combined' | 'jsonl' | 'csv';
export const LOG_FORMATS: readonly LogFormat[] = ['alb', 'cloudfront', 'combined', 'jsonl', 'csv'];

/** Scenario tools Loadprint writes. */
export type Tool = 'k6' | 'locust' | 'artillery';
export const TOOLS: readonly Tool[] = ['k6', 'locust', 'artillery'];

/** Where each tool's scenario lives inside a run folder. */
export const SCENARIO_FILES: Readonly<Record<Tool, string>> = {
  k6: 'scenarios/k6/script.js',
  locust: 'scenarios/locust/locustfile.py',
  artillery: 'scenarios/artillery/scenario.yml',
};

/** ISO-8601 UTC timestamp string, e.g. `2026-11-28T10:00:00.000Z`. */
export type IsoTime = string;

// ---------------------------------------------------------------------------------------------
// Canonical relations produced by the SQL (DuckDB locally, Athena in AWS)
// ---------------------------------------------------------------------------------------------

/**
 * Columns of the canonical `requests` relation every format is normalised into.
 * Times are epoch seconds (DOUBLE) so the shared SQL needs no timestamp-type differences.
 */
export const REQUEST_COLUMNS = [
  't_start', // request arrival (ALB request_creation_time), epoch seconds
  't_end', // response sent (ALB time), epoch seconds; t_start + response time elsewhere
  'client_ip',
  'user_agent',
  'session_key', // explicit session id or session cookie value, NULL if the logs carry none
  'host',
  'method',
  'path', // raw path without query string
  'query', // raw query string without '?', '' when none (values are redacted before leaving SQL)
  'status',
  'response_ms',
] as const;

/** Per-session feature columns (one row per session), produced by the features SQL. */
export interface SessionFeatures {
  session_id: string;
  client_ip: string;
  user_agent: string;
  start: number; // epoch seconds
  end: number; // epoch seconds
  requests: number; // all requests, assets included
  pages: number; // non-asset requests
  unique_endpoints: number; // distinct method + path template among pages
  mean_response_ms: number;
  duration_s: number;
  error_rate: number; // share of requests with status >= 400
  write_ratio: number; // share of page requests with a non-safe method (POST, PUT, PATCH, DELETE)
  think_mean_s: number; // mean gap between consecutive page requests (0 for single-page sessions)
  think_median_s: number;
  think_cv: number; // coefficient of variation of think gaps: ~0 for machines, ~1 for people
  asset_ratio: number; // share of requests that are static assets
  requests_per_minute: number;
  api_share: number; // share of pages under an API prefix (/api/, /v1/, ...)
  checkout_share: number; // share of pages on cart/checkout/order/payment-like endpoints
  robots_hits: number; // requests to robots.txt / sitemap*.xml
  night_share: number; // share of requests between 00:00 and 06:00 UTC
  is_bot_ua: boolean; // user agent is a declared crawler/bot (isbot), HTTP client libraries excluded
  machine_ua: boolean; // user agent is an HTTP client library (curl, python-requests, okhttp, ...)
}

// ---------------------------------------------------------------------------------------------
// manifest.json
// ---------------------------------------------------------------------------------------------

export interface RejectedSample {
  file: string;
  line: number;
  reason: string;
  /** The rejected line, truncated and with IPs, emails and tokens masked. */
  text: string;
}

export interface LineCounts {
  /** Data lines read (format headers such as CloudFront's `#Fields` and blank lines excluded). */
  read: number;
  parsed: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  samples: RejectedSample[];
}

export interface StepTiming {
  step: string;
  seconds: number;
  /** Rows the step produced (lines, sessions, personas, ...), when that means something. */
  rows?: number;
}

export interface InputFile {
  path: string;
  bytes: number;
  format: LogFormat;
}

export interface ScenarioOutcome {
  tool: Tool;
  file: string;
  writer: 'template' | 'bedrock';
  /** Why an LLM answer was rejected and the compiled script kept. */
  fallbackReason?: string;
}

export interface Manifest {
  runId: string;
  status: 'running' | 'succeeded' | 'failed';
  createdAt: IsoTime;
  finishedAt?: IsoTime;
  inputs: InputFile[];
  format: LogFormat;
  window: { start: IsoTime; end: IsoTime } | null;
  lines: LineCounts;
  sessions: number;
  timings: StepTiming[];
  versions: Record<string, string>;
  options: Record<string, unknown>;
  warnings: string[];
  scenarios?: ScenarioOutcome[];
  /** Drift against the previous run of the same service in the same results root, when there is one. */
  previousRunId?: string;
  /** What the run cost the machine (local runs). */
  resources?: { peakRssMb: number; cpuSeconds: number };
  /** With a refresh cache (`--cache`): what was read back instead of being parsed or sessionized again. */
  refresh?: RefreshSummary;
  error?: { message: string; step?: string };
}

export interface RefreshSummary {
  /** Input files read back from the cache, and the rest, parsed. */
  cachedFiles: number;
  parsedFiles: number;
  /** Cached sessions kept as they were, and cached sessions sessionized again with the new lines. */
  reusedSessions: number;
  resessionizedSessions: number;
}

// ---------------------------------------------------------------------------------------------
// personas.json
// ---------------------------------------------------------------------------------------------

export interface Evidence {
  /** What was measured, e.g. `think_cv`, `api_share`, `bot_ua_share`. */
  feature: string;
  value: number;
  /** The rule's comparison, e.g. `< 0.25`. */
  condition: string;
  /** One sentence a person can read: "think times are machine-regular (cv 0.08 < 0.25)". */
  says: string;
}

export interface PersonaSummary {
  name: string;
  sessions: number;
  share: number;
  isBot: boolean;
  /** Centroid in original (untransformed) feature units. */
  centroid: Record<string, number>;
  /** The naming rule that fired. */
  rule: string;
  evidence: Evidence[];
}

export interface KScore {
  k: number;
  silhouette: number;
}

export interface PersonasFile {
  algorithm: 'kmeans' | 'dbscan';
  k: number;
  kSelection: { mode: 'auto' | 'fixed'; sampleSize: number; scores: KScore[] };
  features: string[];
  seed: number;
  personas: PersonaSummary[];
  /** DBSCAN noise sessions (scrapers, attacks, broken clients), not forced into a persona. */
  outliers?: { sessions: number; share: number; examples: string[] };
}

// ---------------------------------------------------------------------------------------------
// model.json (schema: schemas/model.schema.json)
// ---------------------------------------------------------------------------------------------

/** Summary of a one-dimensional distribution. `quantiles` holds 21 values at 0, 0.05, ..., 1. */
export interface Distribution {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  p99: number;
  quantiles: number[];
}

export interface ModelState {
  id: string;
  method: string;
  /** Path template, e.g. `/p/{id}`; query keys kept as `?q={q}`. `other` for merged rare states. */
  path: string;
  /** Static assets fetched with this page (templated paths). */
  resources: string[];
  /** For a merged state (path `other`): the path templates it stands for. */
  templates?: string[];
  /** Share of this persona's page requests that hit this state. */
  share: number;
  responseTimeMs: { p50: number; p90: number; p99: number };
  errorRate: number;
  /** Think time after this page, where the data supports it (enough observations). */
  thinkTime?: Distribution;
}

export interface Arrivals {
  bucketSeconds: number;
  start: IsoTime;
  /** Session starts per bucket, over the whole window. */
  counts: number[];
  /** Mean session starts per hour of week (168 values, Monday 00:00 UTC first). */
  hourOfWeek: number[];
  /** Index of dispersion (variance / mean) of the bucket counts: 1 for Poisson, > 1 bursty. */
  dispersionIndex: number;
}

export interface PersonaModel {
  name: string;
  share: number;
  sessions: number;
  /**
   * Sessions every figure but the size, share and arrivals (states, transitions, think and response
   * times, resources, parameters, session shape, error and write rates) was estimated from: all of
   * them, or a uniform sample of at most `DEFAULTS.model.maxSessionsPerPersona`. Absent in models
   * written before sampling existed.
   */
  sampledSessions?: number;
  isBot: boolean;
  states: ModelState[];
  entry: Record<string, number>;
  /** First-order Markov chain; each row sums to 1 and may include `$exit`. */
  transitions: Record<string, Record<string, number>>;
  /** Think time in seconds between pages (end of one response to the next request). */
  thinkTime: Distribution;
  arrivals: Arrivals;
  /** Observed values per template parameter, most frequent first, PII redacted. */
  params: Record<string, string[]>;
  requestsPerSession: Distribution;
  durationSeconds: Distribution;
  errorRate: number;
  writeRatio: number;
}

export interface TrafficModel {
  schemaVersion: 1;
  generatedAt: IsoTime;
  window: { start: IsoTime; end: IsoTime };
  /** Hosts seen in production logs: scenarios refuse to target them unless ALLOW_PRODUCTION=1. */
  productionHosts: string[];
  personas: PersonaModel[];
}

export const EXIT_STATE = '$exit';
/** Path (and id) of the state rare read endpoints merge into; rare writes merge into OTHER_WRITE_STATE. */
export const OTHER_STATE = 'other';
/** Id of the merged state of rare writes (its path is OTHER_STATE, its method the writes' commonest). */
export const OTHER_WRITE_STATE = 'other_write';

// ---------------------------------------------------------------------------------------------
// validation.json
// ---------------------------------------------------------------------------------------------

export type ValidationMetric = 'jsd' | 'ks' | 'correlation' | 'abs_diff' | 'rel_diff';

export interface ValidationCheck {
  /** Stable id of the figure, e.g. `endpoint_mix`, `requests_per_session`, `think_time`. */
  figure: string;
  metric: ValidationMetric;
  /** `all` for the whole traffic, or a persona name. */
  scope: string;
  value: number;
  tolerance: number;
  /** `value <= tolerance`, or `>=` for correlation. */
  pass: boolean;
  production: number | null;
  synthetic: number | null;
  says: string;
}

export interface ValidationReport {
  kind: 'model' | 'closed-loop';
  generatedAt: IsoTime;
  pass: boolean;
  checks: ValidationCheck[];
}

export interface DriftReport {
  runA: string;
  runB: string;
  verdict: 'refresh' | 'keep';
  reasons: string[];
  personas: { appeared: string[]; vanished: string[]; shareChanged: { name: string; from: number; to: number }[] };
  endpoints: { appeared: string[]; vanished: string[] };
  thinkTimeShift: { name: string; fromP50: number; toP50: number }[];
  arrivalShift: { correlation: number; volumeRatio: number };
}

// ---------------------------------------------------------------------------------------------
// Ports: what domain code is handed instead of reaching for the outside world
// ---------------------------------------------------------------------------------------------

export type SqlDialectName = 'duckdb' | 'athena';

/** Value as returned by a SQL engine (bigints narrowed to number, arrays of numbers for quantiles). */
export type SqlValue = string | number | boolean | null | number[];
export type SqlRow = Record<string, SqlValue>;

export interface SqlEngine {
  readonly dialect: SqlDialectName;
  /** Runs statements that return nothing (DDL, CREATE TABLE AS, COPY). */
  exec(sql: string): Promise<void>;
  /** Runs a query and returns its rows as plain objects (the caller states the row shape it expects). */
  query<T = SqlRow>(sql: string): Promise<T[]>;
}

/** Results storage: a folder locally, an S3 prefix in AWS. Keys are `/`-separated, relative. */
export interface ResultsStore {
  get(key: string): Promise<Buffer | undefined>;
  /** Writes atomically: readers never see a half-written object. */
  put(key: string, body: string | Buffer, contentType?: string): Promise<void>;
  /** Keys directly below a prefix (one level), e.g. `list('runs/')` -> run ids. */
  list(prefix: string): Promise<string[]>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

// ---------------------------------------------------------------------------------------------
// personas.json: k chosen per client kind (issue 3). Declaration merging appends an optional field
// to PersonasFile; `kSelection` keeps the largest kind's scores for readers that know only it.
// ---------------------------------------------------------------------------------------------

/** How k was chosen within one client kind (`machine`, `browser`; `all` when kinds are not split). */
export interface KindKSelection {
  kind: string;
  /** Non-bot sessions of the fit sample in this kind. */
  sessions: number;
  k: number;
  mode: 'auto' | 'fixed';
  sampleSize: number;
  scores: KScore[];
  /**
   * The k the silhouette chose when it was more than `k`: its clusters fell under fewer persona
   * names (the naming rules saw fewer behaviours), so the kind was clustered again with one per name.
   */
  silhouetteK?: number;
}

export interface PersonasFile {
  /** Per client kind: its k and silhouette scores; with the rule that sorts sessions into kinds. */
  kSelectionByKind?: KindKSelection[];
  clientKindRule?: string;
}
