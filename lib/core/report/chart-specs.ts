/**
 * The report's charts as plain data: one ECharts option per chart, built here (typed, testable
 * without a browser) and embedded in the page as JSON. The page's script only adds what JSON cannot
 * carry (tooltip formatters that escape text) and draws. Every chart has a visible title and an aria
 * description, so screen readers get a sentence instead of a canvas.
 */
import type { Distribution, PersonaModel, TrafficModel } from '../types';
import { formatNumber, formatPercent, formatSeconds, formatTime } from './format';
import { clientOf } from '../personas/name-personas';
import { buildMarkovGraph } from './markov-graph';
import type { MarkovNode } from './markov-graph';

export type ChartKind = 'shares' | 'arrivals' | 'hourOfWeek' | 'markov' | 'thinkTime';

export interface ChartSpec {
  /** DOM id of the chart's container, `chart-<n>` (never derived from log text). */
  id: string;
  kind: ChartKind;
  /** Accessible title (also the chart's visible title). */
  title: string;
  /** One or two sentences saying what the chart shows, for `aria-label`. */
  description: string;
  option: Record<string, unknown>;
}

export const PALETTE = {
  human: '#2563eb',
  bot: '#7c3aed',
  machine: '#0e7490',
  start: '#15803d',
  exit: '#64748b',
  read: '#2563eb',
  write: '#ea580c',
  grid: '#e2e8f0',
  text: '#0f172a',
  muted: '#475569',
} as const;

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const CLIENT_TIPS = { bot: 'declared bot', machine: 'program (by its behaviour)', people: 'people' } as const;
const TITLE_STYLE = { fontSize: 13, fontWeight: 600, color: PALETTE.text } as const;
const DAY_MS = 86_400_000;

function base(title: string, description: string): Record<string, unknown> {
  return {
    animation: false, // a static report: no motion, and the page is ready as soon as it is drawn
    useUTC: true, // logs are UTC; a reader's local time zone would shift every curve
    title: { text: title, left: 0, top: 0, textStyle: TITLE_STYLE },
    aria: { enabled: true, label: { description } },
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  };
}

export function bucketLabel(bucketSeconds: number): string {
  if (bucketSeconds === 3600) return 'hour';
  if (bucketSeconds === 60) return 'minute';
  if (bucketSeconds === 86400) return 'day';
  return bucketSeconds % 60 === 0 ? `${bucketSeconds / 60} min` : `${bucketSeconds} s`;
}

function sharesChart(id: string, model: TrafficModel): ChartSpec {
  const rows = [...model.personas].reverse(); // category axes draw bottom-up; keep the table's order
  const title = 'Share of sessions per persona';
  const description = `Bar chart of each persona's share of sessions: ${model.personas
    .map((p) => `${p.name} ${formatPercent(p.share)}`)
    .join(', ')}.`;
  return {
    id,
    kind: 'shares',
    title,
    description,
    option: {
      ...base(title, description),
      grid: { left: 8, right: 56, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: PALETTE.grid } } },
      yAxis: { type: 'category', data: rows.map((p) => p.name), axisLabel: { width: 160, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          name: 'share of sessions',
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: '{c}%' },
          data: rows.map((p) => ({
            value: Number((p.share * 100).toFixed(1)),
            itemStyle: { color: { bot: PALETTE.bot, machine: PALETTE.machine, people: PALETTE.human }[clientOf(p)] },
            tip: [p.name, `${formatPercent(p.share)} of sessions (${formatNumber(p.sessions)})`, CLIENT_TIPS[clientOf(p)]],
          })),
        },
      ],
    },
  };
}

function arrivalsChart(id: string, p: PersonaModel): ChartSpec {
  const { bucketSeconds, counts } = p.arrivals;
  const start = Date.parse(p.arrivals.start);
  const unit = bucketLabel(bucketSeconds);
  const points = counts.map((c, i) => [start + i * bucketSeconds * 1000, c]);
  const peak = counts.reduce((best, c, i) => (c > (counts[best] ?? -1) ? i : best), 0);
  const mean = counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : 0;
  const title = `Session starts per ${unit}`;
  const peakAt = new Date(start + peak * bucketSeconds * 1000).toISOString();
  const description =
    `Line chart of ${p.name}'s session starts per ${unit} from ${formatTime(p.arrivals.start)}: ` +
    `mean ${formatNumber(mean)}, peak ${formatNumber(counts[peak] ?? 0)} at ${formatTime(peakAt)}, ` +
    `index of dispersion ${formatNumber(p.arrivals.dispersionIndex)}.`;
  const spanDays = (counts.length * bucketSeconds * 1000) / DAY_MS;
  return {
    id,
    kind: 'arrivals',
    title,
    description,
    option: {
      ...base(title, description),
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'time',
        axisLabel: { hideOverlap: true, formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{ee} {d} {MMM}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}' } },
        // A day per tick for windows of a few days reads like a calendar; longer windows let ECharts choose.
        ...(spanDays >= 2 && spanDays <= 14 ? { minInterval: DAY_MS } : {}),
      },
      yAxis: { type: 'value', name: `sessions / ${unit}`, nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { color: PALETTE.grid } } },
      dataZoom: [{ type: 'inside' }],
      series: [
        {
          type: 'line',
          name: 'session starts',
          data: points,
          showSymbol: false,
          sampling: 'lttb',
          lineStyle: { width: 1.5, color: p.isBot ? PALETTE.bot : PALETTE.human },
          itemStyle: { color: p.isBot ? PALETTE.bot : PALETTE.human },
          areaStyle: { opacity: 0.12 },
        },
      ],
    },
  };
}

function hourOfWeekChart(id: string, p: PersonaModel): ChartSpec {
  const values = p.arrivals.hourOfWeek;
  const data = values.map((v, i) => [i % 24, Math.floor(i / 24), Number(v.toFixed(2))]);
  const max = Math.max(0, ...values);
  const busiest = values.reduce((best, v, i) => (v > (values[best] ?? -1) ? i : best), 0);
  const when = (i: number): string => `${DAYS[Math.floor(i / 24)] ?? '?'} ${String(i % 24).padStart(2, '0')}:00`;
  const title = 'Mean session starts by hour of week (UTC)';
  const description = `Heatmap of ${p.name}'s mean session starts per hour of the week, Monday to Sunday, UTC: busiest ${when(busiest)} with ${formatNumber(values[busiest] ?? 0)}.`;
  return {
    id,
    kind: 'hourOfWeek',
    title,
    description,
    option: {
      ...base(title, description),
      grid: { left: 8, right: 8, top: 36, bottom: 44, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), splitArea: { show: false }, axisLabel: { interval: 2 } },
      yAxis: { type: 'category', data: DAYS, inverse: true },
      visualMap: {
        min: 0,
        max: max > 0 ? max : 1,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 140,
        itemWidth: 10,
        text: [formatNumber(max), '0'],
        inRange: { color: ['#f8fafc', '#bfdbfe', '#3b82f6', '#1e3a8a'] },
      },
      series: [
        {
          type: 'heatmap',
          name: 'mean session starts',
          data: data.map(([h, d, v]) => ({ value: [h, d, v], tip: [`${DAYS[d ?? 0]} ${String(h).padStart(2, '0')}:00 UTC`, `mean session starts: ${formatNumber(v ?? 0)}`] })),
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
        },
      ],
    },
  };
}

function markovChart(id: string, p: PersonaModel): ChartSpec {
  const graph = buildMarkovGraph(p);
  const colour = (n: MarkovNode): string => PALETTE[n.kind];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const title = `Top ${graph.edges.length} transitions`;
  const top = graph.edges
    .slice(0, 3)
    .map((e) => `${byId.get(e.from)?.label ?? e.from} to ${byId.get(e.to)?.label ?? e.to} ${formatPercent(e.probability)}`)
    .join('; ');
  const description =
    `Directed graph of ${p.name}'s most travelled page transitions, from session start to exit; ` +
    `line width is the transition probability. Busiest: ${top}.` +
    (graph.hiddenEdges > 0 ? ` ${graph.hiddenEdges} rarer transitions are not drawn.` : '');
  return {
    id,
    kind: 'markov',
    title,
    description,
    option: {
      ...base(title, description),
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'graph',
          name: 'transitions',
          layout: 'none',
          roam: true,
          // The page places nodes in pixels (from nx/ny) and pins the view to the whole box, so
          // ECharts draws them 1:1 and round instead of stretching the layout to the box.
          top: 0,
          bottom: 0,
          left: 0,
          right: 0,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: [0, 9],
          label: { show: true, position: 'bottom', fontSize: 11, lineHeight: 15, color: PALETTE.text, width: 150, overflow: 'truncate', backgroundColor: 'rgba(255,255,255,0.7)' },
          edgeLabel: { show: true, fontSize: 11, color: PALETTE.text, backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3], borderRadius: 3 },
          lineStyle: { color: 'source', opacity: 0.55, curveness: 0.18 },
          emphasis: { focus: 'adjacency', lineStyle: { opacity: 0.9 } },
          data: graph.nodes.map((n) => ({
            id: n.id,
            name: n.label,
            nx: n.x,
            ny: n.y,
            symbolSize: Number(n.size.toFixed(1)),
            itemStyle: { color: colour(n) },
            label: n.kind === 'start' ? { position: 'left' } : n.kind === 'exit' ? { position: 'right' } : {},
            tip: n.tip,
          })),
          links: graph.edges.map((e) => ({
            source: e.from,
            target: e.to,
            value: Number(e.probability.toFixed(4)),
            lineStyle: { width: Number((1 + 7 * e.probability).toFixed(2)) },
            label: { formatter: formatPercent(e.probability) },
            tip: [
              `${byId.get(e.from)?.tip[0] ?? e.from} → ${byId.get(e.to)?.tip[0] ?? e.to}`,
              `probability ${formatPercent(e.probability)}`,
              `${e.flow.toFixed(2)} times per session`,
            ],
          })),
        },
      ],
    },
  };
}

function thinkTimeChart(id: string, p: PersonaModel): ChartSpec {
  const d: Distribution = p.thinkTime;
  const q = d.quantiles;
  // Think times span milliseconds (bots) to many minutes (people): a log axis keeps both readable.
  const positive = q.filter((x) => x > 0);
  const minPositive = positive.length ? Math.min(...positive) : 0;
  const useLog = positive.length === q.length && (q[q.length - 1] ?? 0) / minPositive > 20;
  const points = q.map((x, i) => [x, Number((i / (q.length - 1)).toFixed(2))]);
  const title = `Think time between pages (CDF, seconds${useLog ? ', log scale' : ''})`;
  const description =
    `Cumulative distribution of ${p.name}'s think time between pages: p10 ${formatSeconds(d.p10)}, ` +
    `median ${formatSeconds(d.p50)}, p90 ${formatSeconds(d.p90)}, p99 ${formatSeconds(d.p99)}.`;
  const marker = (name: string, value: number): Record<string, unknown> => ({ xAxis: value, label: { formatter: `${name} ${formatSeconds(value)}` } });
  return {
    id,
    kind: 'thinkTime',
    title,
    description,
    option: {
      ...base(title, description),
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: useLog ? 'log' : 'value', ...(useLog ? { min: minPositive } : { min: 0 }), splitLine: { lineStyle: { color: PALETTE.grid } } },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: '{value}' }, splitLine: { lineStyle: { color: PALETTE.grid } } },
      series: [
        {
          type: 'line',
          name: 'share of think times at or below',
          data: points,
          showSymbol: true,
          symbolSize: 4,
          lineStyle: { width: 2, color: p.isBot ? PALETTE.bot : PALETTE.human },
          itemStyle: { color: p.isBot ? PALETTE.bot : PALETTE.human },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: PALETTE.muted },
            label: { fontSize: 10, color: PALETTE.muted },
            data: [marker('p50', d.p50), marker('p90', d.p90)],
          },
        },
      ],
    },
  };
}

export interface PersonaCharts {
  arrivals: ChartSpec;
  hourOfWeek: ChartSpec;
  markov: ChartSpec;
  thinkTime: ChartSpec;
}

export interface ReportCharts {
  shares: ChartSpec;
  personas: PersonaCharts[];
  all: ChartSpec[];
}

/** Every chart of the report, with DOM ids assigned in page order. */
export function buildCharts(model: TrafficModel): ReportCharts {
  let n = 0;
  const next = (): string => `chart-${n++}`;
  const shares = sharesChart(next(), model);
  const personas = model.personas.map((p) => ({
    arrivals: arrivalsChart(next(), p),
    hourOfWeek: hourOfWeekChart(next(), p),
    thinkTime: thinkTimeChart(next(), p),
    markov: markovChart(next(), p),
  }));
  return { shares, personas, all: [shares, ...personas.flatMap((c) => [c.arrivals, c.hourOfWeek, c.thinkTime, c.markov])] };
}
