import { renderReport } from '../../../lib/core/report/render-report';
import type { RenderReportInput } from '../../../lib/core/report/render-report';
import { escapeHtml, jsonForScriptBlock, redactText } from '../../../lib/core/report/html-escape';
import { fixtureDrift, fixtureManifest, fixtureModel, fixturePersonas, fixtureValidation } from '../../fixtures/report/fixtures';

const HOSTILE = '</script><img src=x onerror=alert(1)>';
/** A stand-in library: these tests read the page around it; the browser test uses the real ECharts. */
const LIBRARY = 'window.echarts = window.echarts || {};';

function input(overrides: Partial<RenderReportInput> = {}): RenderReportInput {
  return {
    manifest: fixtureManifest(),
    personas: fixturePersonas(),
    model: fixtureModel(),
    validation: fixtureValidation(),
    drift: fixtureDrift(),
    chartLibrary: LIBRARY,
    ...overrides,
  };
}

/** The page without its inline scripts: what the HTML parser sees as markup and text. */
function markupOf(html: string): string {
  return html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
}

function dataBlock(html: string): { runId: string; charts: { id: string; kind: string; option: Record<string, unknown> }[] } {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no data block');
  return JSON.parse(m[1]);
}

describe('renderReport', () => {
  it('escapes a hostile persona name and input path everywhere they appear', () => {
    // Given a persona named like an XSS payload and an input file with the same name
    const html = renderReport(
      input({ model: fixtureModel(HOSTILE), personas: fixturePersonas(HOSTILE), manifest: fixtureManifest(`logs/${HOSTILE}.log`) }),
    );
    // Then the markup holds it only escaped, and the JSON block cannot be closed early
    const markup = markupOf(html);
    expect(markup).not.toContain('<img');
    expect(markup).toContain(escapeHtml(HOSTILE));
    expect(html.match(/<\/script>/g)).toHaveLength(3); // data block, library, page script: nothing else closes one
    const data = dataBlock(html);
    expect(JSON.stringify(data)).toContain(HOSTILE); // the chart still gets the real name to draw
  });

  it('embeds chart data as JSON that survives </script>, <!-- and U+2028 in log-derived strings', () => {
    // Given a path template containing every sequence that could break out of a script block
    const model = fixtureModel();
    const nasty = '/x</script><!--\u2028\u2029&';
    model.personas[0]!.states[0]!.path = nasty;
    // When rendered
    const html = renderReport(input({ model }));
    const raw = /id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    // Then the block contains none of them raw, and still parses back to the same strings
    expect(raw).not.toMatch(/<|>|\u2028|\u2029/);
    expect(JSON.stringify(dataBlock(html))).toContain(JSON.stringify(nasty).slice(1, -1));
    expect(jsonForScriptBlock({ s: nasty })).toBe('{"s":"/x\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026"}');
  });

  it('says who sends each persona\'s traffic: a declared bot, a program found by its behaviour, or people', () => {
    const model = fixtureModel();
    model.personas[1]!.name = 'api_consumer_regular';
    const html = markupOf(renderReport(input({ model })));
    const kind = (name: string) => new RegExp(`>${name}</a></td><td><span class="badge (\\w+)">(\\w+)</span>`).exec(html)?.slice(1);
    expect(kind('casual_browser')).toEqual(['human', 'people']);
    expect(kind('api_consumer_regular')).toEqual(['machine', 'machine']);
    expect(kind('api_crawler')).toEqual(['bot', 'bot']);
    const shares = dataBlock(renderReport(input({ model }))).charts.find((c) => c.kind === 'shares')!;
    expect(JSON.stringify(shares.option)).toContain('program (by its behaviour)');
  });

  it('says "not logged" where the logs did not time responses, instead of 0 ms', () => {
    const model = fixtureModel();
    for (const s of model.personas[1]!.states) s.responseTimeMs = { p50: 0, p90: 0, p99: 0 };
    const html = renderReport(input({ model }));
    const section = (i: number) => markupOf(html).split(`<section id="persona-${i}"`)[1]!.split('</section>')[0]!;
    expect(section(1)).toContain('These logs do not time responses');
    expect(section(1)).toContain('run again with <span class="mono">--log-format</span>');
    const noTimes = '<td class="num">–</td>'.repeat(3);
    expect(section(1)).toContain(noTimes);
    expect(section(0)).not.toContain(noTimes);
    expect(section(0)).not.toContain('These logs do not time responses');
    const graph = dataBlock(html).charts.filter((c) => c.kind === 'markov');
    expect(JSON.stringify(graph[1]!.option)).toContain('response p50: not logged');
    expect(JSON.stringify(graph[0]!.option)).not.toContain('not logged');
  });

  it('shows no parameter values, IPs or rejected line text', () => {
    // Given a model whose parameter pools hold values and a manifest whose warning carries an IP
    const manifest = fixtureManifest();
    manifest.warnings = ['client 203.0.113.9 (bob@example.com) sent 40% of requests'];
    const model = fixtureModel();
    model.personas[0]!.params['{token}'] = ['secret-value-123'];
    // When rendered
    const html = renderReport(input({ manifest, model }));
    // Then the values stay out; the parameter names are listed
    expect(html).not.toContain('secret-value-123');
    expect(html).not.toContain('red dress');
    expect(html).not.toContain('203.0.113.9');
    expect(html).not.toContain('bob@example.com');
    expect(html).not.toContain(manifest.lines.samples[0]!.text);
    expect(html).toContain('client &lt;ip&gt; (&lt;email&gt;) sent 40% of requests');
    expect(markupOf(html)).toContain('<code>{token}</code> 1 value');
  });

  it('forbids all network access and allows only its own scripts, by hash', () => {
    const html = renderReport(input());
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp.match(/'sha256-[A-Za-z0-9+/=]+'/g)).toHaveLength(2);
    expect(csp).not.toContain('unsafe-eval');
    expect(markupOf(html)).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
  });

  it('leads with the verdict: failing figures named, drift called out', () => {
    const html = renderReport(input());
    const header = /<header class="top">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
    expect(header).toContain('Model does not match production');
    expect(header).toContain('1 of 8 figures out of tolerance: peak_rps');
    expect(header).toContain('Traffic drifted: refresh your load tests');
  });

  it.each([
    ['all figures pass', { validation: fixtureValidation(true), drift: null }, 'Model matches production', '8 of 8 figures within tolerance'],
    ['no validation ran', { validation: null, drift: null }, 'Not validated', 'this run has no validation.json'],
  ])('says so when %s', (_label, overrides, headline, detail) => {
    const html = renderReport(input(overrides));
    const header = /<header class="top">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
    expect(header).toContain(headline);
    expect(header).toContain(detail);
    expect(header).not.toContain('drift');
  });

  it('reports a failed run with its error, redacted', () => {
    const manifest = fixtureManifest();
    manifest.status = 'failed';
    manifest.error = { message: 'DuckDB ran out of memory near 10.0.0.7', step: 'sessionize' };
    const html = renderReport(input({ manifest, validation: null }));
    expect(html).toContain('Run failed');
    expect(html).toContain('DuckDB ran out of memory near &lt;ip&gt; in step sessionize');
  });

  it('gives every chart a container with an accessible name and a title in its options', () => {
    // Given the fixture run (3 personas)
    const html = renderReport(input());
    const data = dataBlock(html);
    // Then there is the share chart plus four charts per persona, each with a titled, labelled box
    expect(data.charts.map((c) => c.kind)).toEqual([
      'shares',
      ...Array.from({ length: 3 }, () => ['arrivals', 'hourOfWeek', 'thinkTime', 'markov']).flat(),
    ]);
    for (const c of data.charts) {
      const title = (c.option['title'] as { text: string }).text;
      expect(title.length).toBeGreaterThan(5);
      expect(html).toMatch(new RegExp(`id="${c.id}" role="img" aria-label="${title.replace(/[()]/g, '\\$&')}\\. [^"]{20,}"`));
    }
  });

  it('says which personas\' figures come from a sample of their sessions, and of how many', () => {
    const model = fixtureModel();
    const [sampled, whole] = model.personas;
    sampled!.sessions = 175_306;
    sampled!.sampledSessions = 20_000;
    whole!.sampledSessions = whole!.sessions;
    const html = markupOf(renderReport(input({ model })));
    expect(html.match(/estimated from a uniform sample/g)).toHaveLength(1);
    expect(html).toContain('a uniform sample of 20,000 of its 175,306 sessions');
  });

  it('lists the run summary figures: lines, rejections by reason with what each means, and time per step', () => {
    const html = renderReport(input());
    const summary = /<section id="summary"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(summary).toContain('1,204,330');
    expect(summary).toMatch(/unrecognized_line<\/td><td>not laid out as the format(&#39;|&#x27;|')s lines are[^<]*<\/td><td class="num">402<\/td>/);
    expect(summary).toMatch(/no_request<\/td><td>the client sent no request: the server logged &quot;-&quot;[^<]*<\/td><td class="num">17<\/td>/);
    expect(summary).toMatch(/<td>ingest<\/td><td class="num">41.2 s<\/td>/);
  });
});

describe('redactText', () => {
  it('masks IPv4, IPv6 and emails but keeps ordinary numbers and paths', () => {
    expect(redactText('from 192.168.1.20 and 2001:db8::1:2 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334 by a.b@c.io')).toBe(
      'from <ip> and <ip> and <ip> by <email>',
    );
    expect(redactText('started at 2026-11-23T10:00:00Z')).toBe('started at 2026-11-23T10:00:00Z');
    expect(redactText('/v1.2/orders took 3.5 s')).toBe('/v1.2/orders took 3.5 s');
  });
});

describe('renderReport on thin data', () => {
  it('renders a persona with one state, no arrivals and zero think times without NaN or undefined', () => {
    // Given a degenerate persona and a manifest from a run that read nothing
    const model = fixtureModel();
    const p = model.personas[2]!;
    p.states = [p.states[0]!];
    p.entry = { c1: 1 };
    p.transitions = { c1: { $exit: 1 } };
    p.thinkTime = { mean: 0, p10: 0, p50: 0, p90: 0, p99: 0, quantiles: new Array(21).fill(0) };
    p.arrivals.counts = [];
    p.arrivals.hourOfWeek = new Array(168).fill(0);
    const manifest = fixtureManifest();
    manifest.window = null;
    manifest.timings = [];
    manifest.lines = { read: 0, parsed: 0, rejected: 0, rejectedByReason: {}, samples: [] };
    // When rendered
    const html = renderReport(input({ model, manifest, validation: null, drift: null }));
    // Then nothing reads NaN/undefined/Infinity and the persona still gets its four charts
    expect(markupOf(html)).not.toMatch(/NaN|undefined|Infinity/);
    expect(dataBlock(html).charts.slice(9).map((c) => c.kind)).toEqual(['arrivals', 'hourOfWeek', 'thinkTime', 'markov']);
    expect(html).toContain('No line was rejected.');
  });
});
