/**
 * A realistic results root for the API tests: two succeeded runs (the newer one is `latest`), a
 * failed run, a run still in progress, each with the files of shared/DESIGN.md. Shared by the
 * handler, serve and Lambda tests; `asObjects()` gives the same content keyed for S3.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../../../lib/core/types';

export const OLD_RUN = '20261120T080000Z-aaa111';
export const LATEST_RUN = '20261127T090000Z-bbb222';
export const FAILED_RUN = '20261128T100000Z-ccc333';
export const RUNNING_RUN = '20261128T110000Z-ddd444';
export const ALL_RUNS_NEWEST_FIRST = [RUNNING_RUN, FAILED_RUN, LATEST_RUN, OLD_RUN];

function manifest(runId: string, status: Manifest['status'], createdAt: string, finishedAt?: string): Manifest {
  return {
    runId,
    status,
    createdAt,
    ...(finishedAt ? { finishedAt } : {}),
    inputs: [{ path: 'logs/alb/2026/11/27/app.log.gz', bytes: 1_482_113, format: 'alb' }],
    format: 'alb',
    window: { start: '2026-11-26T00:00:00.000Z', end: '2026-11-27T00:00:00.000Z' },
    lines: { read: 120_000, parsed: 119_870, rejected: 130, rejectedByReason: { bad_timestamp: 130 }, samples: [] },
    sessions: 10_400,
    timings: [{ step: 'ingest', seconds: 4.2, rows: 119_870 }],
    versions: { loadprint: '0.1.0', duckdb: '1.5.6' },
    options: { k: 'auto', sessionGap: '30m' },
    warnings: [],
    ...(status === 'failed' ? { error: { message: 'no log lines parsed', step: 'ingest' } } : {}),
  };
}

const model = (runId: string) => ({
  schemaVersion: 1,
  generatedAt: '2026-11-27T09:03:00.000Z',
  window: { start: '2026-11-26T00:00:00.000Z', end: '2026-11-27T00:00:00.000Z' },
  productionHosts: ['shop.example.com'],
  runId,
  personas: [
    {
      name: 'casual_browser',
      share: 0.52,
      sessions: 5408,
      isBot: false,
      states: [
        { id: 's1', method: 'GET', path: '/', resources: ['/static/app.js'] },
        { id: 's3', method: 'GET', path: '/p/{id}', resources: [] },
      ],
      entry: { s1: 0.8, s3: 0.2 },
      transitions: { s1: { s3: 0.7, $exit: 0.3 }, s3: { s1: 0.2, s3: 0.3, $exit: 0.5 } },
      thinkTime: { mean: 14, p10: 2, p50: 9, p90: 31, p99: 120, quantiles: [] },
      arrivals: { bucketSeconds: 3600, start: '2026-11-26T00:00:00.000Z', counts: [120, 98, 87] },
      params: { '{id}': ['10423', '2231'] },
    },
  ],
});

const personas = {
  algorithm: 'kmeans',
  k: 2,
  kSelection: { mode: 'auto', sampleSize: 2000, scores: [{ k: 2, silhouette: 0.61 }] },
  features: ['think_cv', 'api_share'],
  seed: 42,
  personas: [
    { name: 'casual_browser', sessions: 5408, share: 0.52, isBot: false, centroid: {}, rule: 'default', evidence: [] },
    { name: 'api_client', sessions: 4992, share: 0.48, isBot: true, centroid: {}, rule: 'api_share', evidence: [] },
  ],
};

const validation = {
  kind: 'model',
  generatedAt: '2026-11-27T09:04:00.000Z',
  pass: true,
  checks: [
    { figure: 'endpoint_mix', metric: 'jsd', scope: 'all', value: 0.01, tolerance: 0.05, pass: true, production: null, synthetic: null, says: 'endpoint mix matches' },
  ],
};

function runFiles(runId: string): Record<string, string> {
  return {
    'sessions.csv': 'session_id,client_ip,user_agent,start,end,requests,persona\ns1,198.51.100.7,Mozilla/5.0,2026-11-26T00:00:01Z,2026-11-26T00:04:00Z,12,casual_browser\n',
    'personas.json': `${JSON.stringify(personas, null, 2)}\n`,
    'model.json': `${JSON.stringify(model(runId), null, 2)}\n`,
    'validation.json': `${JSON.stringify(validation, null, 2)}\n`,
    'report.html': `<!doctype html><html><head><meta charset="utf-8"><title>Loadprint run ${runId}</title></head><body><h1>Run ${runId}</h1></body></html>\n`,
    'scenarios/k6/script.js': `// k6 scenario for run ${runId}\nimport http from 'k6/http';\nconst BASE_URL = __ENV.BASE_URL;\nexport default function () { http.get(\`\${BASE_URL}/\`); }\n`,
    'scenarios/locust/locustfile.py': `# Locust scenario for run ${runId}\nimport os\nfrom locust import HttpUser, task\n\nclass CasualBrowser(HttpUser):\n    host = os.environ.get("BASE_URL")\n\n    @task\n    def home(self):\n        self.client.get("/")\n`,
    'scenarios/artillery/scenario.yml': `# Artillery scenario for run ${runId}\nconfig:\n  target: "{{ $processEnvironment.BASE_URL }}"\n  processor: "./processor.js"\nscenarios:\n  - name: casual_browser\n    flow:\n      - get:\n          url: "/"\n`,
    'scenarios/artillery/processor.js': `// helpers for run ${runId}\nmodule.exports = { thinkScale: () => Number(process.env.THINK_SCALE ?? 1) };\n`,
  };
}

/** Every object of the fixture root, keyed as the stores key them. */
export function asObjects(): Map<string, string> {
  const objects = new Map<string, string>();
  const add = (runId: string, m: Manifest, files: Record<string, string>) => {
    objects.set(`runs/${runId}/manifest.json`, `${JSON.stringify(m, null, 2)}\n`);
    for (const [k, v] of Object.entries(files)) objects.set(`runs/${runId}/${k}`, v);
  };
  add(OLD_RUN, manifest(OLD_RUN, 'succeeded', '2026-11-20T08:00:00.000Z', '2026-11-20T08:05:00.000Z'), runFiles(OLD_RUN));
  add(LATEST_RUN, manifest(LATEST_RUN, 'succeeded', '2026-11-27T09:00:00.000Z', '2026-11-27T09:04:00.000Z'), runFiles(LATEST_RUN));
  add(FAILED_RUN, manifest(FAILED_RUN, 'failed', '2026-11-28T10:00:00.000Z', '2026-11-28T10:00:09.000Z'), {});
  add(RUNNING_RUN, manifest(RUNNING_RUN, 'running', '2026-11-28T11:00:00.000Z'), {});
  return objects;
}

/** Writes the fixture under `root` (created). */
export async function writeResultsRoot(root: string): Promise<void> {
  for (const [key, body] of asObjects()) {
    const file = path.join(root, ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
  }
}
