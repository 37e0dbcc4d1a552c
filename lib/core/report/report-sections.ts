/**
 * The report's HTML sections, as strings: header with the verdict, run summary, persona overview,
 * validation, drift, and one section per persona. Everything from the run's files is escaped here;
 * nothing shows IPs, user agents, rejected line text or parameter values (only parameter names).
 */
import { DEFAULTS } from '../config';
import type {
  DriftReport,
  Manifest,
  PersonaModel,
  PersonaSummary,
  PersonasFile,
  TrafficModel,
  ValidationCheck,
  ValidationReport,
} from '../types';
import { describeRejectReason } from '../ingest/reject-reasons';
import { clientOf } from '../personas/name-personas';
import type { ChartSpec, PersonaCharts } from './chart-specs';
import { formatBytes, formatInt, formatNumber, formatPercent, formatSeconds, formatSpan, formatTime, responsesTimed } from './format';
import { escapeHtml as h, redactText } from './html-escape';

export type Tone = 'pass' | 'fail' | 'warn' | 'none';

export interface Verdict {
  tone: Tone;
  headline: string;
  detail: string;
}

/** The run's verdict on the model: what an SRE reads first. */
export function validationVerdict(manifest: Manifest, validation: ValidationReport | null): Verdict {
  if (manifest.status === 'failed') {
    const step = manifest.error?.step ? ` in step ${manifest.error.step}` : '';
    return { tone: 'fail', headline: 'Run failed', detail: `${redactText(manifest.error?.message ?? 'no error recorded')}${step}` };
  }
  if (!validation) return { tone: 'none', headline: 'Not validated', detail: 'this run has no validation.json' };
  const failed = validation.checks.filter((c) => !c.pass);
  const kind = validation.kind === 'closed-loop' ? 'Synthetic traffic' : 'Model';
  if (failed.length === 0) {
    return { tone: 'pass', headline: `${kind} matches production`, detail: `${validation.checks.length} of ${validation.checks.length} figures within tolerance` };
  }
  const names = [...new Set(failed.map((c) => (c.scope === 'all' ? c.figure : `${c.figure} (${c.scope})`)))];
  return {
    tone: 'fail',
    headline: `${kind} does not match production`,
    detail: `${failed.length} of ${validation.checks.length} figures out of tolerance: ${names.join(', ')}`,
  };
}

export function driftVerdict(drift: DriftReport): Verdict {
  return drift.verdict === 'refresh'
    ? { tone: 'warn', headline: 'Traffic drifted: refresh your load tests', detail: `against run ${drift.runA}` }
    : { tone: 'pass', headline: 'No drift that needs new load tests', detail: `against run ${drift.runA}` };
}

function verdictBox(v: Verdict): string {
  return `<div class="verdict ${v.tone}" role="status"><span>${h(v.headline)}</span><small>${h(v.detail)}</small></div>`;
}

export function headerHtml(manifest: Manifest, model: TrafficModel, verdicts: Verdict[]): string {
  const w = manifest.window ?? model.window;
  const meta = [
    `${formatTime(w.start)} → ${formatTime(w.end)} (${formatSpan(w.start, w.end)})`,
    `${formatInt(manifest.sessions)} sessions`,
    `${model.personas.length} personas`,
    `status ${manifest.status}`,
  ];
  return `<header class="top">
<div class="brand">Loadprint report</div>
<h1>Run <span class="mono">${h(manifest.runId)}</span></h1>
<p class="meta">${meta.map(h).join(' · ')}</p>
<div class="verdicts">${verdicts.map(verdictBox).join('')}</div>
</header>`;
}

export function navHtml(model: TrafficModel, hasValidation: boolean, hasDrift: boolean): string {
  const links = [['summary', 'Run summary'], ['personas', 'Personas']];
  if (hasValidation) links.push(['validation', 'Validation']);
  if (hasDrift) links.push(['drift', 'Drift']);
  model.personas.forEach((p, i) => links.push([`persona-${i}`, p.name]));
  return `<nav class="toc" aria-label="Sections">${links.map(([id, label]) => `<a href="#${h(id ?? '')}">${h(label ?? '')}</a>`).join('')}</nav>`;
}

function figure(label: string, value: string, note = ''): string {
  return `<div><dt>${h(label)}</dt><dd>${h(value)}${note ? ` <small>${h(note)}</small>` : ''}</dd></div>`;
}

function table(head: string[], rows: string[][], numeric: ReadonlySet<number> = new Set()): string {
  const th = head.map((c, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${h(c)}</th>`).join('');
  // Cells arrive already escaped (some carry markup such as badges).
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function badge(tone: 'pass' | 'fail' | 'warn' | 'bot' | 'machine' | 'human' | 'muted', text: string): string {
  return `<span class="badge ${tone}">${h(text)}</span>`;
}

/** Who sends a persona's traffic, as a badge. */
function clientBadge(p: PersonaModel): string {
  const client = clientOf(p);
  return client === 'people' ? badge('human', 'people') : badge(client, client);
}

export function chartHtml(spec: ChartSpec, classes = ''): string {
  return `<figure class="chart ${classes}"><div class="chart-box" id="${h(spec.id)}" role="img" aria-label="${h(`${spec.title}. ${spec.description}`)}"></div></figure>`;
}

export function summaryHtml(manifest: Manifest): string {
  const { lines } = manifest;
  const share = (n: number): string => (lines.read > 0 ? formatPercent(n / lines.read) : '–');
  const totalSeconds = manifest.timings.reduce((a, t) => a + t.seconds, 0);
  const figures = [
    figure('Lines read', formatInt(lines.read)),
    figure('Parsed', formatInt(lines.parsed), share(lines.parsed)),
    figure('Rejected', formatInt(lines.rejected), share(lines.rejected)),
    figure('Sessions', formatInt(manifest.sessions)),
    figure('Input', `${manifest.inputs.length} ${manifest.inputs.length === 1 ? 'file' : 'files'}`, formatBytes(manifest.inputs.reduce((a, f) => a + f.bytes, 0))),
    figure('Format', manifest.format),
    figure('Run time', formatSeconds(totalSeconds)),
  ].join('');
  const reasons = Object.entries(lines.rejectedByReason).sort((a, b) => b[1] - a[1]);
  const rejected = reasons.length
    ? table(
        ['Rejected because', 'Meaning', 'Lines', 'Share of read'],
        reasons.map(([r, n]) => [h(redactText(r)), h(describeRejectReason(r)), formatInt(n), share(n)]),
        new Set([2, 3]),
      )
    : '<p class="note">No line was rejected.</p>';
  const allSteps = Math.max(1e-9, totalSeconds);
  const timings = table(
    ['Step', 'Time', 'Rows', 'Share of run time'],
    manifest.timings.map((t) => [
      h(t.step),
      h(formatSeconds(t.seconds)),
      t.rows === undefined ? '' : formatInt(t.rows),
      `<div class="bar" style="width:${((t.seconds / allSteps) * 100).toFixed(1)}%"></div>`,
    ]),
    new Set([1, 2]),
  );
  const inputs = table(
    ['Input file', 'Size', 'Format'],
    manifest.inputs.map((f) => [`<span class="mono">${h(f.path)}</span>`, h(formatBytes(f.bytes)), h(f.format)]),
    new Set([1]),
  );
  const warnings = manifest.warnings.length
    ? `<h3>Warnings</h3><ul class="plain">${manifest.warnings.map((w) => `<li>${h(redactText(w))}</li>`).join('')}</ul>`
    : '';
  const scenarios = manifest.scenarios?.length
    ? `<h3>Scenarios</h3>${table(
        ['Tool', 'File', 'Writer'],
        manifest.scenarios.map((s) => [
          h(s.tool),
          `<span class="mono">${h(s.file)}</span>`,
          h(s.writer) + (s.fallbackReason ? `<span class="says">kept the compiled script: ${h(redactText(s.fallbackReason))}</span>` : ''),
        ]),
      )}`
    : '';
  return `<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Run summary</h2>
<dl class="figures">${figures}</dl>
<div class="columns spaced">
<div><h3>Rejected lines</h3>${rejected}</div>
<div><h3>Time per step</h3>${timings}</div>
</div>
<details class="spaced"><summary>Inputs (${manifest.inputs.length})</summary>${inputs}</details>
${warnings}${scenarios}
</section>`;
}

function kSelectionNote(personas: PersonasFile): string {
  const chosen = personas.kSelection.scores.find((s) => s.k === personas.k);
  const others = personas.kSelection.scores.filter((s) => s.k !== personas.k).map((s) => `${formatNumber(s.silhouette, 2)} at k=${s.k}`);
  const how = personas.kSelection.mode === 'auto' ? 'chosen by silhouette' : 'fixed by --k';
  const score = chosen ? `, silhouette ${formatNumber(chosen.silhouette, 2)}` : '';
  const rest = others.length ? ` (vs ${others.join(', ')})` : '';
  const outliers = personas.outliers
    ? ` ${formatInt(personas.outliers.sessions)} sessions (${formatPercent(personas.outliers.share)}) fit no persona and were left out.`
    : '';
  return `${personas.algorithm} with k = ${personas.k}, ${how}${score}${rest}; seed ${personas.seed}.${outliers}`;
}

export function overviewHtml(model: TrafficModel, personas: PersonasFile, shares: ChartSpec): string {
  const rows = model.personas.map((p, i) => [
    `<a href="#persona-${i}">${h(p.name)}</a>`,
    clientBadge(p),
    h(formatPercent(p.share)),
    formatInt(p.sessions),
    h(formatNumber(p.requestsPerSession.p50)),
    h(formatSeconds(p.thinkTime.p50)),
    h(formatSeconds(p.durationSeconds.p50)),
    h(formatPercent(p.errorRate)),
    h(formatPercent(p.writeRatio)),
    String(p.states.length),
  ]);
  return `<section id="personas" aria-labelledby="personas-h">
<h2 id="personas-h">Personas</h2>
<p class="note">${h(kSelectionNote(personas))}</p>
${table(['Persona', 'Kind', 'Share', 'Sessions', 'Pages / session p50', 'Think p50', 'Duration p50', 'Errors', 'Writes', 'States'], rows, new Set([2, 3, 4, 5, 6, 7, 8, 9]))}
<div class="charts spaced">${chartHtml(shares, 'short')}</div>
</section>`;
}

const METRIC_LABEL: Readonly<Record<ValidationCheck['metric'], string>> = {
  jsd: 'JS divergence',
  ks: 'KS distance',
  correlation: 'correlation',
  abs_diff: 'absolute difference',
  rel_diff: 'relative difference',
};

function checkRows(checks: ValidationCheck[], withScope: boolean): string[][] {
  return checks.map((c) => {
    const limit = `${c.metric === 'correlation' ? '≥' : '≤'} ${formatNumber(c.tolerance)}`;
    const fmt = (v: number | null): string => (v === null ? '–' : h(formatNumber(v)));
    return [
      `<b>${h(c.figure.replace(/_/g, ' '))}</b><span class="says">${h(redactText(c.says))}</span>`,
      ...(withScope ? [c.scope === 'all' ? 'all traffic' : h(c.scope)] : []),
      h(METRIC_LABEL[c.metric]),
      h(formatNumber(c.value)),
      h(limit),
      fmt(c.production),
      fmt(c.synthetic),
      c.pass ? badge('pass', 'pass') : badge('fail', 'fail'),
    ];
  });
}

function checksTable(checks: ValidationCheck[], withScope: boolean): string {
  const head = ['Figure', ...(withScope ? ['Scope'] : []), 'Metric', 'Value', 'Limit', 'Production', 'Synthetic', 'Result'];
  const firstNumber = head.indexOf('Value');
  return table(head, checkRows(checks, withScope), new Set([0, 1, 2, 3].map((i) => firstNumber + i)));
}

export function validationHtml(validation: ValidationReport | null): string {
  if (!validation) {
    return `<section id="validation" aria-labelledby="validation-h"><h2 id="validation-h">Validation</h2>
<p class="note">This run has no validation.json: run <code>loadprint validate</code> to compare synthetic traffic with production.</p></section>`;
  }
  // Failures first: they are what the reader came for.
  const ordered = [...validation.checks].sort((a, b) => Number(a.pass) - Number(b.pass));
  const passed = validation.checks.filter((c) => c.pass).length;
  const kind = validation.kind === 'closed-loop' ? 'closed loop: the scenario was run and its traffic profiled' : 'model check: sessions simulated from model.json';
  return `<section id="validation" aria-labelledby="validation-h">
<h2 id="validation-h">Validation ${validation.pass ? badge('pass', `${passed}/${validation.checks.length} pass`) : badge('fail', `${validation.checks.length - passed} of ${validation.checks.length} fail`)}</h2>
<p class="note">${h(kind)}; generated ${h(formatTime(validation.generatedAt))}.</p>
${checksTable(ordered, true)}
</section>`;
}

export function driftHtml(drift: DriftReport): string {
  const list = (xs: string[]): string => (xs.length ? `<ul class="plain">${xs.map((x) => `<li class="mono">${h(x)}</li>`).join('')}</ul>` : '<span class="note">none</span>');
  const rows: string[][] = [
    ['Personas appeared', list(drift.personas.appeared)],
    ['Personas vanished', list(drift.personas.vanished)],
    [
      'Persona share changed',
      drift.personas.shareChanged.length
        ? `<ul class="plain">${drift.personas.shareChanged.map((c) => `<li>${h(c.name)}: ${h(formatPercent(c.from))} → ${h(formatPercent(c.to))}</li>`).join('')}</ul>`
        : '<span class="note">none</span>',
    ],
    ['Endpoints appeared', list(drift.endpoints.appeared)],
    ['Endpoints vanished', list(drift.endpoints.vanished)],
    [
      'Think-time shift (p50)',
      drift.thinkTimeShift.length
        ? `<ul class="plain">${drift.thinkTimeShift.map((t) => `<li>${h(t.name)}: ${h(formatSeconds(t.fromP50))} → ${h(formatSeconds(t.toP50))}</li>`).join('')}</ul>`
        : '<span class="note">none</span>',
    ],
    ['Arrival shape', h(`correlation ${formatNumber(drift.arrivalShift.correlation)}, volume × ${formatNumber(drift.arrivalShift.volumeRatio)}`)],
  ];
  const v = driftVerdict(drift);
  return `<section id="drift" aria-labelledby="drift-h">
<h2 id="drift-h">Drift since run <span class="mono">${h(drift.runA)}</span> ${badge(v.tone === 'warn' ? 'warn' : 'pass', drift.verdict === 'refresh' ? 'refresh load tests' : 'keep load tests')}</h2>
${drift.reasons.length ? `<ul class="plain">${drift.reasons.map((r) => `<li>${h(redactText(r))}</li>`).join('')}</ul>` : ''}
${table(['Change', 'Detail'], rows.map(([a, b]) => [h(a ?? ''), b ?? '']))}
</section>`;
}

function statesTable(p: PersonaModel): string {
  const limit = DEFAULTS.report.statesTableRows;
  const states = [...p.states].sort((a, b) => b.share - a.share);
  const timed = responsesTimed(p);
  const ms = (v: number) => (timed ? formatInt(v) : '–');
  const rows = states.slice(0, limit).map((s) => {
    const path = s.path === 'other' && s.templates?.length
      ? `other<span class="says">${h(s.templates.slice(0, 5).join(', '))}${s.templates.length > 5 ? ` and ${s.templates.length - 5} more` : ''}</span>`
      : `<span class="mono">${h(s.path)}</span>`;
    return [
      `<span class="mono">${h(s.method)}</span>`,
      path,
      h(formatPercent(s.share)),
      ms(s.responseTimeMs.p50),
      ms(s.responseTimeMs.p90),
      ms(s.responseTimeMs.p99),
      h(formatPercent(s.errorRate)),
      s.thinkTime ? h(formatSeconds(s.thinkTime.p50)) : '–',
      String(s.resources.length),
    ];
  });
  const more = states.length > limit ? `<p class="note">${states.length - limit} smaller states not listed (see model.json).</p>` : '';
  const untimed = timed ? '' : '<p class="note">These logs do not time responses (no request time after the user agent): model.json holds 0 ms, and the scenarios set no response-time threshold. If the server logs one elsewhere in the line (Apache <span class="mono">%D</span>, nginx <span class="mono">$request_time</span>), run again with <span class="mono">--log-format</span> and the layout it writes.</p>';
  return `${table(['Method', 'Path template', 'Share', 'p50 ms', 'p90 ms', 'p99 ms', 'Errors', 'Think p50', 'Assets'], rows, new Set([2, 3, 4, 5, 6, 7, 8]))}${more}${untimed}`;
}

function burstiness(d: number): string {
  if (d < 1.5) return 'close to Poisson';
  if (d < 10) return 'bursty';
  return 'very bursty';
}

export function personaHtml(index: number, p: PersonaModel, summary: PersonaSummary | undefined, charts: PersonaCharts, checks: ValidationCheck[]): string {
  const evidence = summary?.evidence.length
    ? `<ul class="evidence">${summary.evidence.map((e) => `<li>${h(e.says)}</li>`).join('')}</ul>`
    : '';
  const rule = summary ? `<p class="note">Named by rule <code>${h(summary.rule)}</code></p>` : '';
  const params = Object.entries(p.params);
  const figures = [
    figure('Share of sessions', formatPercent(p.share), `${formatInt(p.sessions)} sessions`),
    figure('Pages per session', formatNumber(p.requestsPerSession.p50), `p90 ${formatNumber(p.requestsPerSession.p90)}`),
    figure('Think time p50', formatSeconds(p.thinkTime.p50), `p90 ${formatSeconds(p.thinkTime.p90)}`),
    figure('Session duration p50', formatSeconds(p.durationSeconds.p50), `p90 ${formatSeconds(p.durationSeconds.p90)}`),
    figure('Error rate', formatPercent(p.errorRate)),
    figure('Write ratio', formatPercent(p.writeRatio)),
    figure('Burstiness', formatNumber(p.arrivals.dispersionIndex), burstiness(p.arrivals.dispersionIndex)),
  ].join('');
  // Parameter pools: names and sizes only. Values stay in model.json, which the scenarios read.
  const paramNote = params.length
    ? `<p class="note">Parameter pools: ${params.map(([name, values]) => `<code>${h(name)}</code> ${values.length} ${values.length === 1 ? 'value' : 'values'}`).join(', ')}.</p>`
    : '';
  const own = checks.length ? `<h3>Validation for this persona</h3>${checksTable(checks, false)}` : '';
  const sampled = p.sampledSessions !== undefined && p.sampledSessions < p.sessions
    ? `<p class="note">Endpoints, transitions, think and response times, session shape and parameters are estimated from a uniform sample of ${formatInt(p.sampledSessions)} of its ${formatInt(p.sessions)} sessions (<code>--model-sessions</code>).</p>`
    : '';
  return `<section id="persona-${index}" class="persona" aria-labelledby="persona-${index}-h">
<h2 id="persona-${index}-h"><span>${h(p.name)}</span> ${clientBadge(p)} ${badge('muted', `${formatPercent(p.share)} of sessions`)}</h2>
${rule}${evidence}
<dl class="figures">${figures}</dl>
${sampled}
<h3>Traffic shape</h3>
<div class="charts">
${chartHtml(charts.arrivals, 'wide')}
${chartHtml(charts.hourOfWeek)}
${chartHtml(charts.thinkTime)}
${chartHtml(charts.markov, 'wide tall')}
</div>
<h3>Endpoints</h3>
${statesTable(p)}
${paramNote}
${own}
</section>`;
}
