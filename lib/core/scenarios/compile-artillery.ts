/**
 * Artillery compiler: phases from the compressed arrival curve (all personas summed), one weighted
 * scenario per persona, and a small processor module that walks the Markov chain, which YAML alone
 * cannot express. Artillery is an open model: each arrival is one session, so scenario weights are
 * the personas' shares of session starts.
 */
import { stringify } from 'yaml';
import { DEFAULTS } from '../config';
import { EXIT_STATE, type TrafficModel } from '../types';
import { commentBlock, headerLines } from './header';
import { JS_HELPERS } from './js-helpers';
import { jsLiteral, jsString, type Literal } from './literals';
import { buildPlan, SUPPORTED_METHODS, type PlannedPersona, type ScenarioPlan, type Segment } from './plan';
import { resolveScenarioOptions, type ScenarioOptions } from './options';
import { chainData } from './script-data';

const S = DEFAULTS.scenarios;

/** Where the processor lives inside a run folder, next to scenario.yml. */
export const ARTILLERY_PROCESSOR_FILE = 'scenarios/artillery/processor.js';
/** Integer scenario weights (Artillery parses them with parseInt) with this resolution. */
const WEIGHT_RESOLUTION = 1000;

/** model.json -> `scenarios/artillery/scenario.yml` (its processor: compileArtilleryProcessor). */
export function compileArtillery(model: TrafficModel, options: Partial<ScenarioOptions> = {}): string {
  return renderArtilleryYaml(buildPlan(model, resolveScenarioOptions(options)));
}

/** model.json -> `scenarios/artillery/processor.js`, the chain walker scenario.yml calls. */
export function compileArtilleryProcessor(model: TrafficModel, options: Partial<ScenarioOptions> = {}): string {
  return renderArtilleryProcessor(buildPlan(model, resolveScenarioOptions(options)));
}

export function renderArtilleryYaml(plan: ScenarioPlan): string {
  const header = headerLines(plan, 'Artillery load test', [
    'BASE_URL=http://localhost:8080 npx artillery run scenario.yml',
  ]);
  const methods = SUPPORTED_METHODS.filter((m) => plan.personas.some((p) => p.states.some((s) => s.method === m)));
  const totalMean = plan.personas.reduce((a, p) => a + p.meanRatePerSecond, 0);
  const doc = {
    config: {
      target: '{{ $processEnvironment.BASE_URL }}',
      processor: './processor.js',
      phases: artilleryPhases(plan.personas.map((p) => p.segments), plan.durationSeconds),
    },
    scenarios: plan.personas.map((p, i) => ({
      name: p.name,
      weight: Math.max(1, Math.round((p.meanRatePerSecond / Math.max(totalMean, Number.EPSILON)) * WEIGHT_RESOLUTION)),
      flow: [
        { function: `begin${i}` },
        {
          loop: [
            ...methods.map((m) => ({
              [m.toLowerCase()]: {
                url: '{{ url }}',
                name: '{{ template }}',
                headers: { 'User-Agent': '{{ agent }}' },
                ifTrue: `sends${m}`,
              },
            })),
            {
              loop: [{ get: { url: '{{ $loopElement.url }}', name: '{{ $loopElement.name }}', headers: { 'User-Agent': '{{ agent }}' } } }],
              over: 'resources',
            },
            { function: 'advance' },
            { think: '{{ think }}' },
          ],
          whileTrue: 'sessionContinues',
        },
      ],
    })),
  };
  return `${commentBlock(header, '#')}\n${stringify(doc, { lineWidth: 0 })}`;
}

/**
 * Phases on a common grid: each persona's step curve averaged over each cell and summed, as an
 * `arrivalCount` (fractional rates allowed) with the rounding remainder carried forward so the
 * total number of sessions is right; an empty cell is a `pause`.
 */
export function artilleryPhases(
  curves: readonly (readonly Segment[])[],
  durationSeconds: number,
): ({ duration: number; arrivalCount: number; name: string } | { pause: number; name: string })[] {
  const cells = Math.max(1, ...curves.map((c) => c.length));
  const seconds = durationSeconds / cells;
  const phases: ({ duration: number; arrivalCount: number; name: string } | { pause: number; name: string })[] = [];
  let carry = 0;
  for (let i = 0; i < cells; i++) {
    const from = i * seconds;
    const exact = curves.reduce((a, c) => a + sessionsBetween(c, from, from + seconds), 0) + carry;
    const count = Math.max(0, Math.round(exact));
    carry = exact - count;
    const duration = Math.round(seconds * 1000) / 1000;
    const name = `curve ${i + 1}/${cells}`;
    phases.push(count > 0 ? { duration, arrivalCount: count, name } : { pause: duration, name });
  }
  return phases;
}

function sessionsBetween(segments: readonly Segment[], from: number, to: number): number {
  let total = 0;
  for (const s of segments) {
    const overlap = Math.min(to, s.startSeconds + s.seconds) - Math.max(from, s.startSeconds);
    if (overlap > 0) total += overlap * s.ratePerSecond;
  }
  return total;
}

export function renderArtilleryProcessor(plan: ScenarioPlan): string {
  const personas: Literal[] = plan.personas.map(personaData);
  const begins = plan.personas
    .map((p, i) => `/** Starts a session of persona ${jsString(p.name).replace(/\*\//g, '*\\/')}. */\nexports.begin${i} = (context, events, done) => begin(PERSONAS[${i}], context, done);`)
    .join('\n');
  const methods = SUPPORTED_METHODS.filter((m) => plan.personas.some((p) => p.states.some((s) => s.method === m)));
  const predicates = methods.map((m) => `exports.sends${m} = (vars) => vars.active === true && vars.method === '${m}';`).join('\n');
  return `// Chain walker for scenario.yml (Artillery processor), generated by Loadprint.
// Each scenario calls begin<N> once, then loops: request, page resources, advance, think.
'use strict';

const THINK_SCALE = process.env.THINK_SCALE ? Number(process.env.THINK_SCALE) : 1;
const PRODUCTION_HOSTS = ${jsLiteral(plan.productionHosts as string[])};
const EXIT = ${jsString(EXIT_STATE)};
const MAX_STEPS = ${S.maxSessionSteps};
const MISSING_PARAM = ${jsString(S.missingParamValue)};

const PERSONAS = ${jsLiteral(personas, 2)};

refuseProduction(process.env.BASE_URL || '');

${begins}

/** Picks the next state; sets the think time after the page just sent (0 when the session ends). */
exports.advance = (context, events, done) => {
  const vars = context.vars;
  const persona = PERSONAS[vars.personaIndex];
  const state = persona.states[vars.state];
  const next = pick(persona.transitions[vars.state] || {});
  vars.steps += 1;
  if (next === EXIT || vars.steps >= MAX_STEPS || !persona.states[next]) {
    vars.active = false;
    vars.think = '0ms';
  } else {
    vars.think = \`\${Math.round(sampleThink(state.think || persona.think) * 1000)}ms\`;
    enter(persona, next, vars);
  }
  return done();
};

exports.sessionContinues = (context, next) => next(context.vars.active === true);

${predicates}

function begin(persona, context, done) {
  const vars = context.vars;
  refuseProduction(vars.target || '');
  vars.personaIndex = PERSONAS.indexOf(persona);
  vars.steps = 0;
  vars.think = '0ms';
  vars.agent = \`\${persona.isBot ? 'LoadprintBot' : 'Loadprint'}-artillery/1.0 (persona \${persona.tag}; session \${context._uid || Math.random().toString(36).slice(2)})\`;
  enter(persona, pick(persona.entry), vars);
  return done();
}

function enter(persona, stateId, vars) {
  const state = persona.states[stateId];
  vars.active = Boolean(state);
  if (!state) return;
  const template = state.templates[Math.floor(Math.random() * state.templates.length)] || '/';
  vars.state = stateId;
  vars.method = state.method;
  vars.template = template;
  vars.url = fill(template, persona.params);
  vars.resources = state.resources.map((name) => ({ name, url: fill(name, persona.params) }));
}

${JS_HELPERS}
function refuseProduction(target) {
  if (PRODUCTION_HOSTS.includes(hostOf(target)) && process.env.ALLOW_PRODUCTION !== '1') {
    // Thrown at load time, this stops Artillery with a non-zero exit before any request is sent.
    const message = \`loadprint: refusing to load-test \${target}: it is a production host; set ALLOW_PRODUCTION=1 to proceed\`;
    console.error(message);
    throw new Error(message);
  }
}
`;
}

function personaData(p: PlannedPersona): Literal {
  return {
    ...chainData(p),
  };
}
