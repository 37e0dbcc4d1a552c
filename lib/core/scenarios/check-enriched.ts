/**
 * The gate an LLM's answer must pass before it replaces a compiled script: it parses, it keeps
 * every endpoint and weight of the compiled version (the data tables and load profile verbatim,
 * the write-safety guard intact), and it adds no host or URL. Anything else is rejected with a
 * reason a person can read in the manifest.
 */
import { parse as parseJs } from 'acorn';
import { parse as parseYaml } from 'yaml';
import type { Tool } from '../types';
import type { PythonSyntaxChecker } from './ports';

export type CheckResult = { readonly ok: true; readonly script: string } | { readonly ok: false; readonly reason: string };

export interface CheckInput {
  readonly tool: Tool;
  /** The compiled script the answer must preserve (as sent to the model). */
  readonly compiled: string;
  readonly answer: string;
  readonly python: PythonSyntaxChecker;
}

export async function checkEnriched(input: CheckInput): Promise<CheckResult> {
  const script = extractCode(input.answer);
  if (script === undefined) return reject('the answer holds no single code block');
  const syntax = await syntaxError(input.tool, script, input.python);
  if (syntax !== undefined) return reject(`the answer does not parse: ${syntax}`);
  const added = addedUrls(input.compiled, script);
  if (added.length > 0) return reject(`the answer adds hosts or URLs: ${added.slice(0, 3).join(', ')}`);
  const lost = lostInvariants(input.tool, input.compiled, script);
  if (lost !== undefined) return reject(`the answer changes ${lost}`);
  return { ok: true, script };
}

function reject(reason: string): CheckResult {
  return { ok: false, reason: reason.replace(/\s+/g, ' ').slice(0, 300) };
}

/** The code in an answer: the only fenced block if there is one, else the whole answer. */
export function extractCode(answer: string): string | undefined {
  const blocks = [...answer.matchAll(/```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n```/g)].map((m) => m[1] ?? '');
  if (blocks.length > 1) return undefined;
  const code = blocks[0] ?? answer;
  return code.trim() === '' ? undefined : `${code.replace(/\s+$/, '')}\n`;
}

async function syntaxError(tool: Tool, script: string, python: PythonSyntaxChecker): Promise<string | undefined> {
  try {
    if (tool === 'k6') parseJs(script, { ecmaVersion: 'latest', sourceType: 'module' });
    else if (tool === 'artillery') parseYaml(script);
    else return await python.check(script);
    return undefined;
  } catch (e: unknown) {
    return e instanceof Error ? e.message : String(e);
  }
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)<>\]]+|["'`]\/\/[^\s'"`/]+/gi;

/** URLs (any scheme, or protocol-relative) in the answer that the compiled script did not have. */
function addedUrls(compiled: string, answer: string): string[] {
  const known = new Set(compiled.match(URL_PATTERN) ?? []);
  return [...new Set(answer.match(URL_PATTERN) ?? [])].filter((u) => !known.has(u));
}

/** What the answer must keep, per tool; returns what it changed, or undefined. */
function lostInvariants(tool: Tool, compiled: string, answer: string): string | undefined {
  if (tool === 'artillery') return lostYaml(compiled, answer);
  const blocks =
    tool === 'k6'
      ? [blockAfter(compiled, 'const PERSONAS = ', /^};$/m), blockAfter(compiled, '  scenarios: {', /^ {2}},$/m)]
      : [blockAfter(compiled, 'PERSONAS = ', /^}$/m), ...compiled.split('\n').filter((l) => /^class |^ {4}(persona|weight) = /.test(l))];
  const guard =
    tool === 'k6'
      ? ['PRODUCTION_HOSTS.includes(hostOf(BASE_URL))', "__ENV.ALLOW_PRODUCTION !== '1'", '__ENV.BASE_URL', '__ENV.THINK_SCALE']
      : ['@events.init.add_listener', 'if host in PRODUCTION_HOSTS and os.environ.get("ALLOW_PRODUCTION") != "1":', 'os.environ.get("BASE_URL"', 'os.environ.get("THINK_SCALE")'];
  const normalisedAnswer = squash(answer);
  for (const b of blocks) {
    if (b !== undefined && !normalisedAnswer.includes(squash(b))) return `the endpoints, weights or load profile (${firstLine(b)})`;
  }
  for (const g of guard) if (!answer.includes(g)) return `the write-safety or environment handling (${g})`;
  // The production hosts list itself must survive unchanged.
  const hosts = /^(?:const )?PRODUCTION_HOSTS = .*$/m.exec(compiled)?.[0];
  if (hosts && !answer.includes(hosts)) return 'the production host list';
  return undefined;
}

function lostYaml(compiled: string, answer: string): string | undefined {
  const a: unknown = parseYaml(compiled);
  const b: unknown = parseYaml(answer);
  if (!isRecord(a) || !isRecord(b) || !isRecord(a['config']) || !isRecord(b['config'])) return 'the document structure';
  for (const key of ['target', 'processor', 'phases']) {
    if (JSON.stringify(a['config'][key]) !== JSON.stringify(b['config'][key])) return `config.${key}`;
  }
  if (!Array.isArray(a['scenarios']) || !Array.isArray(b['scenarios']) || a['scenarios'].length !== b['scenarios'].length) {
    return 'the scenario list';
  }
  for (let i = 0; i < a['scenarios'].length; i++) {
    if (!containsDeep(b['scenarios'][i], a['scenarios'][i])) return `scenario ${i + 1} (its flow, name or weight)`;
  }
  return undefined;
}

/**
 * `big` keeps everything in `small`: equal scalars, objects with at least the same keys, arrays
 * holding `small`'s items in order (extra steps such as added checks are allowed in between).
 */
export function containsDeep(big: unknown, small: unknown): boolean {
  if (Array.isArray(small)) {
    if (!Array.isArray(big)) return false;
    let j = 0;
    for (const item of big) if (j < small.length && containsDeep(item, small[j])) j++;
    return j === small.length;
  }
  if (isRecord(small)) {
    return isRecord(big) && Object.entries(small).every(([k, v]) => k in big && containsDeep(big[k], v));
  }
  return big === small;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function blockAfter(text: string, start: string, end: RegExp): string | undefined {
  const i = text.indexOf(start);
  if (i < 0) return undefined;
  const rest = text.slice(i);
  const m = end.exec(rest);
  return m ? rest.slice(0, m.index + m[0].length) : undefined;
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim().slice(0, 60);
}
