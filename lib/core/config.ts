/**
 * Loadprint's configuration: every tunable in one place, with the default and why it is that.
 * Commands and handlers start from DEFAULTS and override single fields from flags or environment;
 * domain code receives the resolved values and never reads process.env itself.
 */

export const DEFAULTS = {
  ingest: {
    /** Inactivity gap that closes a session keyed by client IP + user agent (or a cookie). */
    sessionGapSeconds: 30 * 60,
    /** Extensions whose requests are static assets: resources of a page, never Markov states. */
    assetExtensions: [
      'js', 'mjs', 'css', 'map', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'ico', 'webp', 'avif',
      'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp4', 'webm', 'mp3',
    ],
    /** Cookie names that carry a session id, tried in order when `--session-cookie` is not given. */
    sessionCookieNames: [
      'session_id', 'sessionid', 'session', 'sid', 'JSESSIONID', 'PHPSESSID', 'ASP.NET_SessionId',
      'connect.sid', '_session_id', 'laravel_session', 'SESSION',
    ],
    /**
     * A path segment whose distinct values under the same parent exceed this count becomes a
     * parameter (`/p/sku-4821` -> `/p/{slug}`); below it, words such as `/c/shoes` stay literal.
     */
    maxLiteralSegmentValues: 60,
    /** Path prefixes that mark API traffic (a persona naming signal). */
    apiPrefixes: ['/api/', '/v1/', '/v2/', '/v3/', '/graphql', '/rest/'],
    /** Endpoint words that mark buying (a persona naming signal). */
    checkoutWords: ['cart', 'basket', 'checkout', 'order', 'payment', 'pay', 'purchase'],
    /** How many rejected lines are kept as samples in manifest.json. */
    rejectedSamples: 5,
    /** DuckDB working-memory cap; larger inputs spill to the temp directory. */
    duckdbMemoryLimit: '1GB',
  },
  personas: {
    algorithm: 'kmeans' as 'kmeans' | 'dbscan',
    /** Range of k tried by `--k auto`. */
    kMin: 2,
    kMax: 8,
    /** Sessions k-means is fitted on; every session is then assigned to its nearest centroid. */
    fitSampleSize: 20_000,
    /** Sessions silhouette is computed on (it is O(n^2): never all sessions). */
    silhouetteSampleSize: 2_000,
    /** k-means++ restarts per k; the lowest-inertia one wins. */
    restarts: 8,
    /** Fixed seed: same input, same personas and names. */
    seed: 42,
  },
  model: {
    /** States with fewer page requests than this (per persona) merge into `other`. */
    minStateSupport: 20,
    /** Think-time quantiles per state only where a state has at least this many gaps. */
    minStateThinkSamples: 30,
    /** Values kept per template parameter. */
    paramPoolSize: 50,
    arrivalBucketSeconds: 3600,
    /** Gaps longer than this are not think time (the user left and came back). */
    maxThinkSeconds: 30 * 60,
    /** Parameter values matching any of these never leave the logs (regex sources, case-insensitive). */
    paramDenyList: [] as string[],
  },
  scenarios: {
    tools: ['k6', 'locust', 'artillery'] as const,
    writer: 'template' as 'template' | 'bedrock',
    /** Length of the generated test: the whole arrival curve is compressed into it. */
    durationSeconds: 10 * 60,
    /** Multiplies every arrival rate (2 = a peak event at twice production's rate). */
    scale: 1,
    /** Templates that are dangerous to replay; sent only with `--allow-writes PATTERN`. */
    dangerousTemplates: ['payment', 'pay', 'charge', 'refund', 'delete', 'DELETE '],
    bedrockModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    bedrockMaxRetries: 4,
  },
  validation: {
    /** Tolerances: a figure passes when within these (the seed allowed 15%; none is looser). */
    tolerances: {
      endpointMixJsd: 0.05,
      requestsPerSessionKs: 0.15,
      thinkTimeKs: 0.15,
      arrivalCorrelation: 0.85,
      errorRateAbs: 0.02,
      writeRatioAbs: 0.03,
      peakRpsRel: 0.15,
    },
    /** Sessions simulated from the model for the model check. */
    simulatedSessions: 5_000,
  },
  drift: {
    /** A persona whose share moves by more than this (absolute) triggers a refresh. */
    personaShareAbs: 0.1,
    thinkTimeRel: 0.25,
    arrivalCorrelation: 0.8,
  },
  api: {
    pageSize: 20,
    maxPageSize: 100,
  },
  watch: {
    /** A run starts once no new file has arrived for this long. */
    quietPeriodSeconds: 5,
  },
  modelSchema: {
    /** Errors listed when model.json fails its schema; a broken writer can produce thousands. */
    maxReportedErrors: 20,
    /** Slack for Markov rows and the entry row summing to 1 (writers round probabilities). */
    probabilitySumTolerance: 0.001,
  },
  report: {
    /** Edges drawn per persona Markov graph, most probable first: more turns the graph into a hairball. */
    markovTopEdges: 14,
    /** States listed per persona in the report's endpoint table, by share. */
    statesTableRows: 15,
  },
} as const;

export type Defaults = typeof DEFAULTS;

/** Parses a duration such as `30m`, `90s`, `1h` or a plain number of seconds. */
export function parseDurationSeconds(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[unit] ?? 1;
  return n * factor;
}
