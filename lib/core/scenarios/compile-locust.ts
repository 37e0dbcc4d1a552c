/**
 * Locust compiler: one HttpUser class per persona walking the persona's chain, and a LoadTestShape
 * following the compressed arrival curve. Locust is a closed model (a number of users that loop),
 * so each class's weight and the shape's user count come from Little's law, concurrent sessions =
 * arrival rate x mean session duration; weighting by share of sessions would over-send the long
 * sessions' endpoints.
 */
import { DEFAULTS } from '../config';
import { EXIT_STATE, type TrafficModel } from '../types';
import { commentBlock, headerLines } from './header';
import { pyLiteral, pyString, type Literal } from './literals';
import { buildPlan, curvePoints, type PlannedPersona, type ScenarioPlan } from './plan';
import { resolveScenarioOptions, type ScenarioOptions } from './options';
import { chainData, round3, round6 } from './script-data';

const S = DEFAULTS.scenarios;
/**
 * A user with no session to start (its persona already has the sessions the curve wants) checks again
 * after this long: short against a session, long enough not to spin.
 */
const IDLE_RECHECK_SECONDS = 0.2;

/** model.json -> `scenarios/locust/locustfile.py`. */
export function compileLocust(model: TrafficModel, options: Partial<ScenarioOptions> = {}): string {
  return renderLocust(buildPlan(model, resolveScenarioOptions(options)));
}

export function renderLocust(plan: ScenarioPlan): string {
  const header = headerLines(plan, 'Locust load test', [
    'BASE_URL=http://localhost:8080 locust -f locustfile.py --headless',
    '(the shape class drives users and stops the test; --host overrides BASE_URL)',
  ]);
  const personas: Record<string, Literal> = {};
  for (const p of plan.personas) personas[p.ident] = personaData(p);
  const classes = plan.personas
    .map(
      (p) => `class ${p.className}(PersonaUser):
    persona = PERSONAS[${pyString(p.ident)}]
    weight = little_weight(persona)`,
    )
    .join('\n\n\n');
  return `${commentBlock(header, '#')}

import math
import os
import random
import re
import sys
from urllib.parse import quote, urlsplit

from gevent.pool import Pool
from locust import HttpUser, LoadTestShape, events, task

BASE_URL = os.environ.get("BASE_URL", "").rstrip("/")
THINK_SCALE = float(os.environ.get("THINK_SCALE") or 1)
PRODUCTION_HOSTS = ${pyLiteral(plan.productionHosts as string[])}
EXIT = ${pyString(EXIT_STATE)}
MAX_STEPS = ${S.maxSessionSteps}
MISSING_PARAM = ${pyString(S.missingParamValue)}
RESOURCE_CONCURRENCY = ${S.resourceConcurrency}
DURATION_SECONDS = ${plan.durationSeconds}
IDLE_RECHECK_SECONDS = ${IDLE_RECHECK_SECONDS}
PLACEHOLDER = re.compile(r"\\{([^{}]+)\\}")

PERSONAS = ${pyLiteral(personas, 4)}


def pick(weights):
    """Draws a key with the given probabilities."""
    u = random.random()
    last = EXIT
    for key, p in weights.items():
        last = key
        u -= p
        if u < 0:
            return key
    return last


def sample_think(quantiles):
    """Think seconds from 21 evenly spaced quantiles (inverse CDF, linear between them)."""
    x = random.random() * (len(quantiles) - 1)
    i = int(x)
    lo = quantiles[i]
    hi = quantiles[min(i + 1, len(quantiles) - 1)]
    return (lo + (hi - lo) * (x - i)) * THINK_SCALE


def fill(template, params):
    """Fills {name} placeholders from the persona's observed values, URL-encoded."""

    def value(match):
        pool = params.get(match.group(1)) or [MISSING_PARAM]
        return quote(random.choice(pool) or MISSING_PARAM, safe="")

    return PLACEHOLDER.sub(value, template)


def session_seconds(persona):
    """Mean session duration at this THINK_SCALE (think shrinks, server time does not)."""
    return persona["thinkSeconds"] * THINK_SCALE + persona["responseSeconds"]


def rate_at(persona, t):
    """Session starts per second at test time t: the compressed arrival curve, linear between points."""
    points = persona["curve"]
    for (t0, r0), (t1, r1) in zip(points, points[1:]):
        if t <= t1:
            return r0 if t1 == t0 else r0 + (r1 - r0) * (t - t0) / (t1 - t0)
    return points[-1][1]


def little_weight(persona):
    """Little's law: concurrent sessions = mean arrival rate x mean session duration."""
    return max(persona["meanPerSecond"] * session_seconds(persona), 1e-9)


def sessions_wanted(persona, t):
    """Concurrent sessions the curve wants for this persona at test time t (Little's law)."""
    return rate_at(persona, t) * session_seconds(persona)


def user_cap():
    """
    Most users the test ever starts: twice what every persona's busiest moment wants at once, plus one
    per persona. Users are split by weight, so a persona with a tiny share would otherwise ask for
    billions of users before the split gives it one.
    """
    peak = sum(max(r for _, r in p["curve"]) * session_seconds(p) for p in PERSONAS.values())
    return math.ceil(2 * peak) + len(PERSONAS)


USER_CAP = user_cap()


@events.init.add_listener
def refuse_production(environment, **_kwargs):
    target = environment.host or BASE_URL
    if not target:
        sys.exit("loadprint: set BASE_URL (or --host) to the system under test")
    host = (urlsplit(target).hostname or "").lower()
    if host in PRODUCTION_HOSTS and os.environ.get("ALLOW_PRODUCTION") != "1":
        sys.exit(f"loadprint: refusing to load-test {target}: it is a production host; set ALLOW_PRODUCTION=1 to proceed")


class PersonaUser(HttpUser):
    """One simulated visitor: runs sessions back to back, each a walk of the persona's chain."""

    abstract = True
    host = BASE_URL or None
    persona = None
    # Sessions of this persona in progress (per subclass: the first += creates the subclass's own).
    in_session = 0

    def on_start(self):
        self.current = None
        self.last = None
        self.steps = 0
        self.sessions = 0
        self.agent = ""
        self.idle = False

    def wait_time(self):
        # No pause between sessions: the next session of this user starts at once, which is what
        # keeps the arrival rate at users / session duration (Little's law).
        if self.idle:
            return IDLE_RECHECK_SECONDS
        if self.current is None or self.last is None:
            return 0
        return sample_think(self.last.get("think") or self.persona["think"])

    def may_start(self):
        """The shape never stops users (Locust would cut their sessions short); a surplus user idles instead."""
        shape = self.environment.shape_class
        t = shape.get_run_time() if shape is not None else 0
        return type(self).in_session < max(1, round(sessions_wanted(self.persona, t)))

    @task
    def browse(self):
        persona = self.persona
        self.idle = False
        if self.current is None:
            if not self.may_start():
                self.idle = True
                return
            type(self).in_session += 1
            self.current = pick(persona["entry"])
            self.steps = 0
            self.sessions += 1
            kind = "LoadprintBot" if persona["isBot"] else "Loadprint"
            self.agent = f"{kind}-locust/1.0 (persona {persona['tag']}; session {id(self):x}-{self.sessions})"
        state = persona["states"][self.current]
        self.visit(state)
        self.steps += 1
        self.last = state
        following = pick(persona["transitions"].get(self.current, {}))
        self.current = None if following == EXIT or self.steps >= MAX_STEPS else following
        if self.current is None:
            type(self).in_session -= 1

    def visit(self, state):
        params = self.persona["params"]
        template = random.choice(state["templates"])
        headers = {"User-Agent": self.agent}
        self.client.request(state["method"], fill(template, params), name=template, headers=headers)
        if state["resources"]:
            # A browser fetches a page's assets in parallel over a few connections.
            pool = Pool(RESOURCE_CONCURRENCY)
            for resource in state["resources"]:
                pool.spawn(self.client.get, fill(resource, params), name=resource, headers=headers)
            pool.join()


${classes}


class ArrivalCurveShape(LoadTestShape):
    """
    Users over time, never fewer than before: Locust stops surplus users mid-session, which would cut
    sessions short at every dip of the curve, so users are only added and the surplus idles between
    sessions (PersonaUser.may_start). Enough users that, split by weight, every persona has the
    sessions its curve wants now, up to user_cap().
    """

    peak = 1

    def tick(self):
        t = self.get_run_time()
        if t >= DURATION_SECONDS:
            return None
        total_weight = sum(little_weight(p) for p in PERSONAS.values())
        wanted = max(
            (sessions_wanted(p, t) + 1) * total_weight / little_weight(p) for p in PERSONAS.values()
        )
        self.peak = max(self.peak, min(round(wanted), USER_CAP))
        return self.peak, self.peak
`;
}

function personaData(p: PlannedPersona): Literal {
  return {
    ...chainData(p),
    thinkSeconds: round3(p.thinkSecondsPerSession),
    responseSeconds: round3(p.responseSecondsPerSession),
    meanPerSecond: round6(p.meanRatePerSecond),
    curve: curvePoints(p.segments).map(([t, r]) => [round3(t), round6(r)]),
  };
}
