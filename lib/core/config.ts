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
    /**
     * A gzip file with this share of its lines rejected, and at least this many, is inflated whole to
     * check its CRC (ingest/damaged-files.ts): DuckDB does not, and a damaged stream can inflate to
     * garbage that is rejected line after line. Healthy logs reject far less: the real netnea log 0.45%
     * (scanners' malformed requests); damaged files of the tests 3.5% and 64%. A healthy file past the
     * share costs one more inflate, nothing else.
     */
    damagedGzipCheck: { minRejectedShare: 0.02, minRejectedLines: 10 },
    /**
     * DuckDB's memory cap (its buffer pool: tables and working memory) for runs on disk (inputs over
     * inMemoryInputBytes), which spill to the run's work folder. Quantile aggregates and allocator
     * slack live outside it, so it leaves a wide margin under 1 GB: at 10M lines, 384 MB peaks at
     * 0.91 GiB of RSS, 512 MB at 0.95, at the same speed.
     */
    duckdbMemoryLimit: '384MB',
    /**
     * The same cap for runs in memory, whose tables live in the pool: a smaller pool spills the run's
     * own tables (at 1M lines 384 MB is 0.4 s slower than this; the run peaks at 0.8 GiB).
     */
    inMemoryDuckdbMemoryLimit: '512MB',
    /**
     * DuckDB's allocator keeps freed memory for reuse; past this much it hands it back to the system
     * (after each task, and after any bulk free). The 512 MB default let a large run's RSS climb past
     * 1 GB on memory the engine no longer used; at 64 MB the runs are as fast.
     */
    duckdbAllocatorFlushThreshold: '64MB',
    /** Inputs up to this many (uncompressed) bytes are profiled in memory; larger ones on disk. */
    inMemoryInputBytes: 1_500_000_000,
    /** Typical uncompressed / gzip size of access logs, to size gzip inputs before reading them. */
    gzipRatio: 8,
    /**
     * Refresh cache (`--cache`): a refresh appends the sessions it sessionized again as a new segment
     * instead of rewriting everything. The segments are compacted into one when there are this many,
     * or when the new segment would hold this share of all cached rows.
     */
    refreshMaxSegments: 8,
    refreshCompactShare: 0.25,
    /**
     * Sessionizing sorts the requests by actor. Past this many requests they are split into parts by
     * actor and sessionized one part at a time: each part's sort fits in the buffer pool, where one
     * sort of everything spills to disk. Each part re-reads every request (0.15 s at 10M lines, 0.45 s
     * at 30M), so the parts grow with the square root of the requests (build-sessions.ts
     * sessionizeParts): at 10M lines on disk, 6 parts of 1.7M (20.1-20.4 s), where 9 of 1.1M took
     * 19.9-20.0 s and 3 of 3.4M 20.7-22.3 s; at 30M, 25 parts of 1.2M took 74-81 s, 10 of 3M 75 s and
     * 5 of 6M 67-77 s (the machine's noise is a few seconds).
     */
    sessionizePartRows: 1_200_000,
    /**
     * Requests in one sessionizing part at most, the largest measured: a part's sort is its largest
     * allocation. Peak RSS at 30M lines was 929-980 MB with parts from 1.2M to 3M, no clear trend
     * with the size; past this, parts are added instead of grown.
     */
    sessionizeMaxPartRows: 3_000_000,
    /**
     * The same for runs in memory (inputs up to inMemoryInputBytes, about 2M lines), whose larger pool
     * sorts 2M requests without spilling: there, splitting 1M requests in two cost 0.3-0.5 s more.
     */
    inMemorySessionizePartRows: 2_000_000,
  },
  personas: {
    algorithm: 'kmeans' as 'kmeans' | 'dbscan',
    /** Range of k tried by `--k auto`. */
    kMin: 2,
    kMax: 8,
    /** Sessions k-means is fitted on; every session is then assigned to its nearest centroid. */
    fitSampleSize: 20_000,
    /**
     * The fit sample is the sessions with the smallest ids. Session ids are uniform 63-bit hashes, so
     * with many sessions the sample is read from those below the id a share of `fitSampleSize` times
     * this would reach, not by sorting every session (0.2 s at a million sessions). 1.1 leaves 2,000
     * sessions to spare at 20,000, more than 13 standard deviations of the count; when fewer are
     * found, every session is sorted after all.
     */
    fitSampleOversampling: 1.1,
    /** Sessions silhouette is computed on (it is O(n^2): never all sessions). */
    silhouetteSampleSize: 2_000,
    /**
     * k-means++ restarts for the final fit (on at most `kSelectionSampleSize` sessions; Lloyd's algorithm
     * then runs once on the whole fit sample from the best); the lowest-inertia one wins.
     */
    restarts: 8,
    /** Fixed seed: same input, same personas and names. */
    seed: 42,
    /** Lloyd iterations per k-means run; runs on session features converge in well under this. */
    maxIterations: 100,
    /**
     * A k-means run has converged when no centre moves more than this (squared distance, in standard
     * deviations): 0.01 sd is far below anything that changes a persona.
     */
    tolerance: 1e-4,
    /** k-means++ restarts per candidate k while choosing k (the chosen k's fit continues them up to `restarts`). */
    kSelectionRestarts: 3,
    /**
     * `--k auto` takes the largest k whose silhouette is within this of the best one. Silhouette favours
     * the coarsest clear split (machines vs people) over the personas inside it; for a load model,
     * splitting one behaviour in two costs little, while merging buyers into browsers loses their
     * checkout flows.
     */
    silhouetteTolerance: 0.05,
    /**
     * k-means restarts run on at most this many sessions, for every candidate k of `--k auto` and for
     * the final fit (then refined once on the whole fit sample): choosing k and seeding the centres need
     * the shape of the data, not every session.
     */
    kSelectionSampleSize: 5_000,
    /**
     * DBSCAN runs on at most this many sessions: region queries are O(n^2), and the package merges
     * neighbourhoods with linear scans, so the sample must stay small.
     */
    dbscanSampleSize: 2_000,
    /**
     * DBSCAN minPts per feature dimension (minPts = factor x dims, the Sander et al. 1998 heuristic
     * recommended by Schubert et al. 2017 for data with more than two dimensions).
     */
    dbscanMinPtsPerDim: 2,
    /**
     * A session outside the DBSCAN sample joins its nearest cluster only if it lies within that
     * cluster's radius: this quantile of the members' distances to the centroid, plus eps.
     */
    dbscanRadiusQuantile: 0.99,
    /**
     * Client kinds clustered apart (client-kind.ts): a session is a machine client when it fetches no
     * page assets (at most this asset ratio) and either has an HTTP-library user agent or is API-only
     * (at least this API share); every other non-bot session is a browser.
     */
    clientKinds: { machineUaMin: 0.5, apiShareMin: 0.5, assetRatioMax: 0.05 },
    /**
     * `--k auto` within a client kind keeps the kind as ONE persona when splitting it in two scores a
     * silhouette below this. A single population split in two scores 0.25-0.36 in this feature space
     * depending on the sample (Kaufman & Rousseeuw: 0.26-0.5 is weak, possibly artificial structure; the
     * demo's API clients: 0.29-0.36), distinct personas 0.37 and up (the demo's browsers). The overlap
     * is why fit-personas.ts also keeps no more clusters per kind than the naming rules tell apart.
     */
    singleClusterSilhouetteMax: 0.32,
    /**
     * EM iterations of the Gaussian refinement after k-means (gaussian-refine.ts: one spread per
     * persona), and the floor of that variance (squared standard deviations of its kind), which keeps
     * a near-constant persona from shrinking onto its centre.
     */
    gaussianIterations: 60,
    gaussianVarianceFloor: 0.01,
    /**
     * The Gaussian refinement stops before `gaussianIterations` once no centre coordinate, spread or
     * weight moves more than this in an EM step (standard deviations, squared sd, share). EM closes
     * the gap geometrically (each step ~0.6 of the last on the benchmark sample), so what is left
     * is ~1e-6 sd, invisible in any persona; the benchmark's browsers stop after 25 steps instead of 60.
     */
    gaussianTolerance: 1e-6,
    /**
     * User-agent fragments (matched case-insensitively anywhere in the UA) that mark HTTP libraries and
     * machine clients rather than browsers: the evidence behind the `machine_ua` feature column.
     */
    machineUserAgents: [
      'curl/', 'wget/', 'python-requests/', 'python-urllib/', 'aiohttp/', 'httpx/', 'okhttp/',
      'go-http-client/', 'java/', 'apache-httpclient/', 'axios/', 'node-fetch/', 'undici',
      'got (', 'libwww-perl/', 'ruby', 'faraday', 'guzzlehttp/', 'postmanruntime/', 'insomnia/',
      'httpie/', 'restsharp/', 'dart:io', 'reqwest/',
    ],
    /**
     * Naming thresholds, applied to cluster centroids in original units. They are deliberately far
     * from where people and machines meet, so a name changes only when behaviour clearly does.
     */
    naming: {
      /** Think-time coefficient of variation at or below this is machine-regular (people: ~1). */
      machineThinkCvMax: 0.35,
      /** At least this share of pages under an API prefix marks an integration. */
      apiShareMin: 0.5,
      /** At least this share of sessions with an HTTP-library user agent marks an integration. */
      machineUaShareMin: 0.5,
      /**
       * Share of pages with a write method (POST/PUT/PATCH/DELETE) that marks a writing persona: a
       * buyer when some of its pages are checkout-like, else a writer (web-mail, forums, forms).
       */
      writeRatioMin: 0.1,
      /** Share of pages on cart/checkout/order/payment-like endpoints that marks buying on its own. */
      buyerCheckoutShareMin: 0.15,
      /** With writes, this share of checkout-like pages (one in fifty) makes the writing buying. */
      buyerCheckoutWithWritesMin: 0.02,
      /** Pages per session from which a session is deep (power user); below, casual. */
      deepSessionMinPages: 12,
      /** Median think time (s) at or below which an undeclared client is too fast for a person. */
      scraperThinkMaxSeconds: 3,
      /** Pages per session from which a fast, regular, undeclared client counts as a scraper. */
      scraperMinPages: 20,
      /** Share of requests that are static assets at or below which a client skips page resources. */
      scraperAssetRatioMax: 0.1,
    },
  },
  model: {
    /** States with fewer page requests than this (per persona) merge into `other`. */
    minStateSupport: 10,
    /** An asset is a resource of a page when it is loaded in at least this share of the page's visits. */
    minResourceShare: 0.3,
    /** Think-time quantiles per state only where a state has at least this many gaps. */
    minStateThinkSamples: 30,
    /** Values kept per template parameter. */
    paramPoolSize: 50,
    /**
     * The model's statistics (states, transitions, think and response times, resources, parameter
     * pools, session shape, error and write rates) read at most this many sessions per persona: past
     * it, a uniform sample of that many (persona-stats-sql.ts). 20,000 is also the persona fit's
     * sample. Sizes, shares and arrival curves always count every session.
     */
    maxSessionsPerPersona: 20_000,
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
    /**
     * Writes that are dangerous to replay, sent only with `--allow-writes PATTERN`: those whose
     * `METHOD template` holds one of these words, in any case (`delete` is the DELETE method too,
     * `pay` is also payment).
     */
    dangerousTemplates: ['pay', 'charge', 'refund', 'delete'],
    bedrockModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    bedrockMaxRetries: 4,
    /** First backoff after a throttled Bedrock call; doubles per retry, with full jitter. */
    bedrockBackoffBaseMs: 500,
    /** Cap on one backoff sleep, so a throttled run fails in minutes rather than hanging. */
    bedrockBackoffMaxMs: 20_000,
    /** Room for a whole enriched script in the answer; longer answers are truncated and rejected. */
    bedrockMaxTokens: 8_192,
    /** Low temperature: enrichment should annotate the compiled script, not reinvent it. */
    bedrockTemperature: 0.2,
    /** Arrival-curve buckets are merged until at most this many stages/phases remain. */
    maxStages: 48,
    /** No compressed stage is shorter than this, so executors are not asked to ramp instantly. */
    minStageSeconds: 1,
    /** k6 arrival targets are integers per time unit: pick the smallest unit giving this resolution. */
    k6MinPeakIterationsPerUnit: 20,
    /** k6 thresholds: a response-time threshold is production's p90 times this slack. */
    responseTimeSlack: 1.5,
    /** k6 thresholds: the failure rate may exceed production's by this much (absolute). */
    errorRateSlack: 0.02,
    /** k6 pre-allocates Little's-law VUs (peak rate x session time) times this headroom. */
    k6VuHeadroom: 1.5,
    /** Parallel connections for a page's resources in Locust, like a browser's per-host limit. */
    resourceConcurrency: 6,
    /** Safety bound on pages per generated session, should a chain have a near-absorbing loop. */
    maxSessionSteps: 200,
    /** Values kept per parameter pool inside a script (the model may hold more). */
    scriptParamPoolSize: 50,
    /** Placeholder value when a template parameter has no observed values. */
    missingParamValue: '1',
    /** Expected-visit tolerance when censoring a chain: below it a state counts as unreachable. */
    chainEpsilon: 1e-12,
  },
  validation: {
    /**
     * Tolerances: a figure passes when within these. The seed allowed 15%; none here is looser.
     * Every figure is measured over page requests (static assets excluded: their volume depends on
     * browser caches, and the model replays them as resources of pages).
     */
    tolerances: {
      /** Jensen-Shannon divergence (base 2, 0..1) of the endpoint mix ("METHOD /template" shares). */
      endpointMixJsd: 0.05,
      /** Jensen-Shannon divergence of the persona mix (sessions per persona), when both sides have one. */
      personaMixJsd: 0.05,
      /** Kolmogorov-Smirnov D (largest gap between the two CDFs) of page requests per session. */
      requestsPerSessionKs: 0.15,
      /** Kolmogorov-Smirnov D of think times (end of a page response to the next page request). */
      thinkTimeKs: 0.15,
      /** Minimum Pearson correlation of the session-start profile per hour of week (or of day). */
      arrivalCorrelation: 0.85,
      /** Largest absolute difference of the share of pages answered with an error status. */
      errorRateAbs: 0.02,
      /** Largest absolute difference of the share of pages sent with a write method. */
      writeRatioAbs: 0.03,
      /** Largest relative difference of the peak page rate (the busiest bucket, per second). */
      peakRpsRel: 0.15,
    },
    /** Sessions simulated from the model for the model check. */
    simulatedSessions: 5_000,
    /**
     * Bucket over which the peak rate is taken: the model's arrival bucket (model.arrivalBucketSeconds).
     * Finer peaks are bursts within an hour, which the model does not claim to reproduce, and on
     * small samples the busiest minute is mostly Poisson noise.
     */
    peakBucketSeconds: 3600,
    /**
     * Monte Carlo draws of the model check's expected peak (validation/expected-peak.ts): the
     * estimate's own noise is about the per-bucket noise over sqrt(draws), a fraction of a percent.
     */
    peakDraws: 200,
    /**
     * Per-persona checks are made only for personas with at least this many sessions on both sides:
     * below it, sampling noise alone nears the tolerances (a 3-point write-ratio gap at a ratio near
     * 0.5 takes ~2,000 pages per side to be 2.5 standard errors; KS D noise is ~1.36/sqrt(n)).
     */
    minPersonaSessions: 1_000,
    /** Methods that change state: the write ratio is the share of pages sent with one of these. */
    writeMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
    /** Statuses from this one up count as errors. */
    errorStatusMin: 400,
  },
  drift: {
    /** A persona whose share moves by more than this (absolute) triggers a refresh. */
    personaShareAbs: 0.1,
    /**
     * A persona whose share is multiplied (or divided) by at least this triggers a refresh, even when
     * the absolute move is small: 5% -> 10% of sessions doubles that persona's load.
     */
    personaShareRatio: 2,
    /**
     * Personas below this share on both sides are ignored by the verdict (still listed): tiny
     * clusters come and go between clustering runs without changing the load.
     */
    minPersonaShare: 0.02,
    /**
     * An endpoint that appears or vanishes triggers a refresh when it carries at least this share of
     * pages; rarer ones are listed only (they flap between windows and barely move load).
     */
    endpointShareMin: 0.005,
    /** A persona whose median think time moves by more than this (relative) triggers a refresh. */
    thinkTimeRel: 0.25,
    /** Minimum correlation of the hourly session-start profiles of the two runs. */
    arrivalCorrelation: 0.8,
    /** Session-start rate (per hour of window) growing or shrinking by more than this triggers a refresh. */
    arrivalVolumeRel: 0.5,
  },
  s3Inputs: {
    /**
     * `loadprint run s3://...` lists and downloads at most this many objects: a week of one ALB is
     * ~4,000 five-minute files per node; past this, narrow the prefix (a month, a day).
     */
    maxObjects: 50_000,
    /** Objects downloaded at once (small files: the time is round trips, not bandwidth). */
    concurrency: 16,
  },
  api: {
    pageSize: 20,
    maxPageSize: 100,
    /** POST /runs bodies larger than this are refused (413): a list of paths is a few KB at most. */
    maxBodyBytes: 64 * 1024,
    /** Inputs one POST /runs may name; a bigger drop belongs under one folder or prefix. */
    maxInputs: 100,
    /** Longest input path or S3 prefix accepted (S3 keys stop at 1024 bytes). */
    maxInputLength: 1024,
    /** Longest reading option value accepted (a log layout runs to a few hundred characters). */
    maxOptionLength: 4096,
  },
  serve: {
    port: 8080,
    /** Loopback only by default: the local API starts runs on this machine's files. */
    host: '127.0.0.1',
    /** Local runs at once started through POST /runs; more get 429 (DuckDB is memory-hungry). */
    maxConcurrentRuns: 2,
  },
  watch: {
    /** A run starts once no new file has arrived (and none has grown) for this long. */
    quietPeriodSeconds: 5,
    /** The drop folder is rescanned this often in addition to fs.watch, which can miss events. */
    scanIntervalMs: 1000,
    /** Names that are still being written or are not logs (editor swap files, partial downloads). */
    ignoreNamePatterns: ['^\\.', '\\.(tmp|part|partial|crdownload|swp)$', '~$'],
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
    /** Bound on the expected-visits series that ranks edges (a chain with a near-absorbing loop). */
    flowIterations: 500,
    /** States listed per persona in the report's endpoint table, by share. */
    statesTableRows: 15,
  },
  /** Per-run cost planning for Athena scans (lib/core/cost). */
  cost: {
    /** Athena SQL price, USD per TB scanned (list price in most regions; override per region). */
    athenaUsdPerTb: 5,
    /** Bytes in the "TB" Athena bills by (AWS bills in binary units). */
    bytesPerTb: 2 ** 40,
    /** Athena rounds each query up to whole MB and bills at least 10 MB. */
    billingUnitBytes: 2 ** 20,
    minBilledBytesPerQuery: 10 * 2 ** 20,
    /** Queries that read the raw logs once each per run: session features, persona statistics. */
    rawScansPerRun: 2,
    /** Per-run budget when none is given (USD). */
    defaultBudgetUsd: 1,
    /**
     * Compressed log bytes whose sessions the Lambda steps (clustering, model) take whole; above it,
     * sessions are sampled by a hash of the session key so the feature rows fit one Lambda.
     */
    maxUnsampledLogBytes: 2 * 2 ** 30,
    /** Hash buckets sessions fall into: the sampling fraction's resolution is 1 / buckets. */
    samplingBuckets: 10_000,
  },
  /** AWS triggers (lib/core/triggers): when S3 log drops, deploys and the schedule start a run. */
  triggers: {
    /** Log time covered by one S3-triggered run; every file of a window maps to the same run. */
    batchWindowSeconds: 60 * 60,
    /** Wait after a window's end before it counts as closed (ALB delivers every 5 minutes, late by up to 5). */
    settleSeconds: 10 * 60,
    /** Traffic profiled after a deploy (the refresh run waits until it has been logged). */
    deployWindowSeconds: 60 * 60,
    /** Log time profiled by a scheduled run, ending at the schedule's tick. */
    scheduleLookbackSeconds: 24 * 60 * 60,
    /** Windows one batch may start (a backfill burst); the rest are left to the SQS retry. */
    maxWindowsPerBatch: 24,
  },
  /** Traffic simulator (lib/core/simulate): the demo world, tests' ground truth and `loadprint simulate`. */
  simulate: {
    /** Seed used when none is given, so `loadprint simulate` is reproducible by default. */
    seed: 1,
    /** Sessions simulated when neither a session count nor a line target is given. */
    sessions: 2_000,
    /** Sessions simulated (on a separate random stream) to turn a line target into a session count. */
    pilotSessions: 2_000,
    /** Safety bound on pages per session: a chain with a near-absorbing loop still ends. */
    maxPagesPerSession: 500,
    /**
     * Longest think time the simulator emits. Kept well under the sessionizer's 30-minute gap so every
     * simulated session is recoverable from its client's IP and user agent alone.
     */
    maxThinkSeconds: 15 * 60,
    /**
     * A returning client (same IP and user agent) starts a new session only this long after its
     * previous session ended: "well over" the 30-minute gap, so the truth stays recoverable.
     */
    returnGapSeconds: 90 * 60,
    /** Share of sessions that try to reuse an earlier client (returning visitors, recurring jobs). */
    returningShare: { browser: 0.2, machine: 0.6, bot: 0.4 },
    /** Earlier clients remembered per client kind for returns (bounds memory at any volume). */
    returningPoolSize: 4_000,
    /** Share of browser sessions coming from a shared NAT address (office, campus, mobile carrier). */
    natShare: 0.04,
    /** NAT addresses, and distinct user agents (devices) at most behind each. */
    natAddresses: 12,
    natClientsPerAddress: 24,
    /** Share of machine-client sessions that send no user agent (logged as "-"). */
    noUserAgentShare: 0.05,
    /** Zipf exponent of parameter popularity: a few products are hot, most are rare (caches behave). */
    paramZipfExponent: 0.9,
    /** Static resources of a page: first request this long after the page ends, then staggered. */
    resourceGapMs: { first: 8, stagger: 25 },
    /** Response time of a static resource, lognormal through these quantiles (ms). */
    resourceResponseMs: { p50: 12, p90: 60 },
    /** Error statuses by method family, with weights. */
    errorStatuses: {
      read: { 404: 0.45, 500: 0.25, 503: 0.2, 502: 0.1 },
      write: { 400: 0.3, 409: 0.1, 500: 0.35, 503: 0.25 },
    } as Record<'read' | 'write', Record<number, number>>,
    /** Share of 502/503/504 answered by the load balancer itself (no target: ALB logs -1 and "-"). */
    lbGeneratedErrorShare: 0.5,
    /** Writers keep lines this long (log time) before flushing a file, so late requests still sort in. */
    flushLagSeconds: 30 * 60,
    /** Lines inside one file are ordered by time plus up to this much jitter (real logs are not sorted). */
    lineOrderJitterSeconds: 1.5,
    /** ALB: one file per load-balancer node per this many seconds (as ALB delivers to S3). */
    albFileSeconds: 5 * 60,
    /** CloudFront standard logs: one file per distribution per this many seconds. */
    cloudfrontFileSeconds: 60 * 60,
    /** gzip level of written .gz files (1 = fastest; readers do not care). */
    gzipLevel: 1,
    /** Malformed lines, when asked for, are spread one per this many good lines. */
    malformedStride: 97,
  },
  /** `loadprint validate` (lib/core/validation/closed-loop.ts): run the scenario, profile what it sent. */
  closedLoop: {
    /** Default test length: long enough for a few hundred sessions, short enough to run on every change. */
    durationSeconds: 60,
    /** Default THINK_SCALE: think times shrink 20x so a minute holds many sessions; they are scaled back. */
    thinkScale: 0.05,
    /**
     * Sessions the test aims for when `--scale auto`: production's rate compressed into a minute gives a
     * handful, far too few for a KS distance (noise ~1.36/sqrt(n)); 500 keeps that noise near 0.06.
     */
    targetSessions: 500,
    /** Upper bound of the automatic scale, so a tiny log never turns into a flood. */
    maxAutoScale: 100_000,
    /**
     * Arrival shape and peak rate are assessed only when every compressed stage lasts at least this many
     * (compressed) sessions: shorter stages smear sessions across stage edges and the curve is not there.
     */
    minStageSessionLengths: 3,
    /** ...and only when a stage holds at least this many session starts on average (else Poisson noise). */
    minSessionsPerStage: 20,
    /**
     * Sessions starting in the last part of the test are cut short when the tool stops: those starting
     * within this quantile of compressed session durations before the end are left out of every figure.
     */
    censorDurationQuantile: 'p90' as 'p50' | 'p90' | 'p99',
    /** ...but never more than this share of the test. */
    maxCensorShare: 1 / 3,
    /** Time the tool gets beyond the test duration to start and stop before it is killed. */
    toolGraceSeconds: 60,
    /** Exit code when the run completed but a figure is outside its tolerance (1 and 2 are errors). */
    failedExitCode: 3,
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
