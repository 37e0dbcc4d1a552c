/**
 * report.html in a real headless Chromium, opened from file:// with every non-file request blocked:
 * the charts must draw from the inlined library alone, log-derived strings must stay text, and the
 * page must read on a phone-width screen.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { loadChartLibrary } from '../../../lib/core/report/load-chart-library';
import { renderReport } from '../../../lib/core/report/render-report';
import { fixtureDrift, fixtureManifest, fixtureModel, fixturePersonas, fixtureValidation } from '../../fixtures/report/fixtures';

/*
 * The few DOM shapes the in-page callbacks use. Declared here, module-scoped, rather than adding the
 * DOM lib to the whole project (where it would let browser globals typecheck in Lambda code).
 */
interface DomEl {
  id: string;
  width: number;
  height: number;
  textContent: string | null;
  style: { position: string };
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomEl | null;
  getBoundingClientRect(): { width: number; height: number };
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: {
  documentElement: DomEl & { scrollWidth: number };
  querySelector(selector: string): DomEl | null;
  querySelectorAll(selector: string): Iterable<DomEl> & { length: number };
};
declare const window: unknown;

const HOSTILE = '</script><img src=x onerror=alert(1)>';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const READY_TIMEOUT_MS = 10_000;

interface PageWatch {
  page: Page;
  leftThePage: string[];
  consoleErrors: string[];
  dialogs: string[];
}

let browser: Browser;
let dir: string;
let reportUrl: string;

async function open(width: number): Promise<PageWatch> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const watch: PageWatch = { page, leftThePage: [], consoleErrors: [], dialogs: [] };
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    watch.leftThePage.push(url);
    return route.abort();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) watch.leftThePage.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.consoleErrors.push(e.message));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(reportUrl);
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-ready'), null, { timeout: READY_TIMEOUT_MS });
  return watch;
}

beforeAll(async () => {
  // Given a report whose first persona and first input file carry an XSS payload, on disk
  dir = mkdtempSync(path.join(tmpdir(), 'loadprint-report-'));
  const html = renderReport({
    manifest: fixtureManifest(`logs/${HOSTILE}.log.gz`),
    personas: fixturePersonas(HOSTILE),
    model: fixtureModel(HOSTILE),
    validation: fixtureValidation(),
    drift: fixtureDrift(),
    chartLibrary: await loadChartLibrary(),
  });
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);
  reportUrl = pathToFileURL(file).href;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('report.html in Chromium', () => {
  it('draws every chart offline, with no request leaving the page and no console error', async () => {
    // When the report is opened with the network blocked
    const { page, leftThePage, consoleErrors } = await open(1280);
    // Then each chart container holds an ECharts instance with its series and a painted canvas
    const charts = await page.evaluate(() => {
      const w = window as unknown as { echarts: { getInstanceByDom(el: DomEl): { getOption(): { series: { type: string; data?: unknown[]; links?: unknown[] }[]; title: { text: string }[] } } | undefined } };
      return [...document.querySelectorAll('.chart-box')].map((el) => {
        const chart = w.echarts.getInstanceByDom(el);
        const canvas = el.querySelector('canvas');
        let painted = 0;
        if (canvas && canvas.width > 0 && canvas.height > 0) {
          const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
          for (let i = 3; i < pixels.length; i += 4 * 7) if ((pixels[i] ?? 0) > 0) painted++;
        }
        const option = chart?.getOption();
        return {
          id: el.id,
          width: canvas?.getBoundingClientRect().width ?? 0,
          height: canvas?.getBoundingClientRect().height ?? 0,
          painted,
          series: option?.series.length ?? 0,
          type: option?.series[0]?.type,
          points: option?.series[0]?.data?.length ?? 0,
          links: option?.series[0]?.links?.length ?? 0,
          title: option?.title[0]?.text ?? '',
          ariaLabel: el.getAttribute('aria-label') ?? '',
        };
      });
    });
    expect(charts).toHaveLength(13);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.series).toBeGreaterThanOrEqual(1);
      expect(c.points).toBeGreaterThan(0);
      expect(c.painted).toBeGreaterThan(200);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.ariaLabel.length).toBeGreaterThan(20);
    }
    expect(charts.map((c) => c.type)).toEqual(['bar', ...Array.from({ length: 3 }, () => ['line', 'heatmap', 'line', 'graph']).flat()]);
    expect(charts.filter((c) => c.type === 'graph').every((c) => c.links > 3)).toBe(true);
    expect(leftThePage).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows a hostile persona name and path as text, in headings, tables and tooltips, without running it', async () => {
    const { page, dialogs, consoleErrors } = await open(1280);
    // When a tooltip naming the hostile persona is shown
    await page.evaluate(() => {
      const w = window as unknown as { echarts: { getInstanceByDom(el: DomEl): { dispatchAction(a: object): void } | undefined } };
      const shares = document.querySelector('.chart-box');
      // The share chart lists personas bottom-up: the first persona is the last bar.
      if (shares) w.echarts.getInstanceByDom(shares)?.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 2 });
    });
    await page.waitForFunction(() => [...document.querySelectorAll('div')].some((d) => d.textContent?.startsWith('</script>') && d.style.position === 'absolute'), null, { timeout: READY_TIMEOUT_MS });
    // Then the payload is visible as text everywhere and nothing was injected or executed
    const seen = await page.evaluate(() => ({
      heading: document.querySelector('#persona-0-h span')?.textContent,
      inputCell: [...document.querySelectorAll('#summary td .mono')].map((e) => e.textContent).find((t) => t?.includes('onerror')),
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
    }));
    expect(seen.heading).toBe(HOSTILE);
    expect(seen.inputCell).toBe(`logs/${HOSTILE}.log.gz`);
    expect(seen.images).toBe(0);
    expect(seen.scripts).toBe(3);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // A screenshot for a person to look at (kept in the temp folder, never committed)
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('fits a phone-width screen: no sideways scrolling of the page, charts still drawn', async () => {
    const { page, consoleErrors } = await open(390);
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      narrowestChart: Math.min(...[...document.querySelectorAll('.chart-box canvas')].map((c) => c.getBoundingClientRect().width)),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.narrowestChart).toBeGreaterThan(250);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
