/**
 * k6 compiler: one `ramping-arrival-rate` scenario per persona (an open model, like real arrivals)
 * whose stages follow the persona's compressed arrival curve; each iteration is one session walking
 * the persona's Markov chain. Deterministic: the same plan always gives the same script.
 */
import { DEFAULTS } from '../config';
import { EXIT_STATE, type TrafficModel } from '../types';
import { commentBlock, headerLines } from './header';
import { JS_HELPERS } from './js-helpers';
import { jsLiteral, jsString, type Literal } from './literals';
import { buildPlan, curvePoints, type PlannedPersona, type ScenarioPlan } from './plan';
import { resolveScenarioOptions, type ScenarioOptions } from './options';
import { chainData, round3, round6 } from './script-data';

const S = DEFAULTS.scenarios;

/** k6 stage targets are integers per time unit; these are the units tried, smallest first. */
const TIME_UNITS: readonly [string, number][] = [
  ['1s', 1],
  ['10s', 10],
  ['1m', 60],
  ['10m', 600],
  ['1h', 3600],
];

/** model.json -> `scenarios/k6/script.js`. */
export function compileK6(model: TrafficModel, options: Partial<ScenarioOptions> = {}): string {
  return renderK6(buildPlan(model, resolveScenarioOptions(options)));
}

export function renderK6(plan: ScenarioPlan): string {
  const header = headerLines(plan, 'k6 load test', [
    'k6 run -e BASE_URL=http://localhost:8080 -e THINK_SCALE=1 script.js',
  ]);
  const personas: Record<string, Literal> = {};
  for (const p of plan.personas) personas[p.ident] = personaData(p);
  const scenarios = plan.personas.map((p) => scenarioBlock(p)).join('\n');
  const thresholds = plan.personas.map((p) => thresholdLines(p)).join('\n');
  const execs = plan.personas
    .map((p) => `/** Sessions of persona ${jsString(p.name).replace(/\*\//g, '*\\/')}. */\nexport function ${p.ident}() {\n  walk(PERSONAS.${p.ident});\n}`)
    .join('\n\n');
  return `${commentBlock(header, '//')}

import http from 'k6/http';
import exec from 'k6/execution';
import { check, sleep } from 'k6';

const BASE_URL = (__ENV.BASE_URL || '').replace(/\\/+$/, '');
const THINK_SCALE = __ENV.THINK_SCALE ? Number(__ENV.THINK_SCALE) : 1;
const PRODUCTION_HOSTS = ${jsLiteral(plan.productionHosts as string[])};
const EXIT = ${jsString(EXIT_STATE)};
const MAX_STEPS = ${S.maxSessionSteps};
const MISSING_PARAM = ${jsString(S.missingParamValue)};
const VU_HEADROOM = ${S.k6VuHeadroom};

if (!BASE_URL) {
  throw new Error('BASE_URL is not set: k6 run -e BASE_URL=http://localhost:8080 script.js');
}
if (!(THINK_SCALE >= 0)) {
  throw new Error(\`THINK_SCALE must be a number >= 0, got "\${__ENV.THINK_SCALE}"\`);
}
if (PRODUCTION_HOSTS.includes(hostOf(BASE_URL)) && __ENV.ALLOW_PRODUCTION !== '1') {
  throw new Error(\`refusing to load-test \${BASE_URL}: it is a production host; set ALLOW_PRODUCTION=1 to proceed\`);
}

/**
 * @typedef {{ method: string, templates: string[], resources: string[], think?: number[] }} State
 * @typedef {{
 *   name: string, tag: string, isBot: boolean,
 *   entry: Record<string, number>, transitions: Record<string, Record<string, number>>,
 *   states: Record<string, State>, think: number[], params: Record<string, string[]>,
 *   thinkSeconds: number, responseSeconds: number, peakPerSecond: number,
 * }} Persona
 */

/** @type {Record<string, Persona>} */
const PERSONAS = ${jsLiteral(personas, 2)};

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
${scenarios}
  },
  thresholds: {
${thresholds}
  },
};

${execs}

/**
 * One session: an entry state, then the chain until it exits, thinking between pages.
 * @param {Persona} persona
 */
function walk(persona) {
  const session = \`\${exec.vu.idInTest}-\${exec.vu.iterationInScenario}\`;
  const agent = \`\${persona.isBot ? 'LoadprintBot' : 'Loadprint'}-k6/1.0 (persona \${persona.tag}; session \${session})\`;
  let current = pick(persona.entry);
  for (let step = 0; step < MAX_STEPS && current !== EXIT; step++) {
    const state = persona.states[current];
    if (!state) break;
    visit(persona, state, agent);
    const next = pick(persona.transitions[current] || {});
    if (next !== EXIT) sleep(sampleThink(state.think || persona.think));
    current = next;
  }
}

/**
 * @param {Persona} persona
 * @param {State} state
 * @param {string} agent
 */
function visit(persona, state, agent) {
  const template = state.templates[Math.floor(Math.random() * state.templates.length)] || '/';
  const headers = { 'User-Agent': agent };
  const tags = { persona: persona.tag, endpoint: template, name: template };
  const res = http.request(state.method, BASE_URL + fill(template, persona.params), null, { headers, tags });
  check(res, { 'status below 400': (r) => r.status < 400 }, tags);
  if (state.resources.length > 0) {
    http.batch(
      state.resources.map((resource) => ({
        method: 'GET',
        url: BASE_URL + fill(resource, persona.params),
        params: { headers, tags: { persona: persona.tag, endpoint: resource, name: resource, resource: 'true' } },
      })),
    );
  }
}

/**
 * Little's law with headroom: VUs busy at the peak = arrivals per second x seconds per session.
 * @param {Persona} persona
 */
function vusFor(persona) {
  const sessionSeconds = persona.thinkSeconds * THINK_SCALE + persona.responseSeconds;
  return Math.max(1, Math.ceil(persona.peakPerSecond * sessionSeconds * VU_HEADROOM));
}

${JS_HELPERS}`;
}

function personaData(p: PlannedPersona): Literal {
  return {
    ...chainData(p),
    thinkSeconds: round3(p.thinkSecondsPerSession),
    responseSeconds: round3(p.responseSecondsPerSession),
    peakPerSecond: round6(p.peakRatePerSecond),
  };
}

/** The smallest time unit in which the peak rate is a usefully fine integer. */
export function k6TimeUnit(peakPerSecond: number): [string, number] {
  for (const unit of TIME_UNITS) if (peakPerSecond * unit[1] >= S.k6MinPeakIterationsPerUnit) return unit;
  return TIME_UNITS[TIME_UNITS.length - 1]!;
}

/** k6 stages: ramps between the midpoints of the compressed curve's segments. */
export function k6Stages(p: Pick<PlannedPersona, 'segments' | 'peakRatePerSecond'>): {
  timeUnit: string;
  startRate: number;
  stages: { duration: string; target: number }[];
} {
  const [timeUnit, unitSeconds] = k6TimeUnit(p.peakRatePerSecond);
  const points = curvePoints(p.segments);
  const stages: { duration: string; target: number }[] = [];
  for (let i = 1; i < points.length; i++) {
    const seconds = points[i]![0] - points[i - 1]![0];
    if (seconds <= 0) continue;
    stages.push({ duration: `${round3(seconds)}s`, target: Math.round(points[i]![1] * unitSeconds) });
  }
  return { timeUnit, startRate: Math.round((points[0]?.[1] ?? 0) * unitSeconds), stages };
}

function scenarioBlock(p: PlannedPersona): string {
  const { timeUnit, startRate, stages } = k6Stages(p);
  const stageLines = stages.map((s) => `        { duration: '${s.duration}', target: ${s.target} },`).join('\n');
  return `    ${p.ident}: {
      executor: 'ramping-arrival-rate',
      exec: '${p.ident}',
      timeUnit: '${timeUnit}',
      startRate: ${startRate},
      preAllocatedVUs: vusFor(PERSONAS.${p.ident}),
      maxVUs: vusFor(PERSONAS.${p.ident}) * 4,
      tags: { persona: '${p.ident}' },
      stages: [
${stageLines}
      ],
    },`;
}

/** Thresholds from production: p90 with slack, failures and checks at production's error rate. */
function thresholdLines(p: PlannedPersona): string {
  const lines: string[] = [];
  if (p.responseP90Ms > 0) {
    lines.push(`    'http_req_duration{persona:${p.ident}}': ['p(90)<${Math.ceil(p.responseP90Ms * S.responseTimeSlack)}'],`);
  }
  const failures = Math.min(1, round3(p.errorRate + S.errorRateSlack));
  lines.push(`    'http_req_failed{persona:${p.ident}}': ['rate<${failures}'],`);
  lines.push(`    'checks{persona:${p.ident}}': ['rate>${Math.max(0, round3(1 - failures))}'],`);
  return lines.join('\n');
}
