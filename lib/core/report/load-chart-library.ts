/**
 * The one side effect the report needs, kept at the edge: reading ECharts' minified bundle from
 * node_modules so renderReport can inline it. Resolved through Node's module resolution, so it works
 * from the bundled CLI (ESM) and from tests (CommonJS) alike.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export const CHART_LIBRARY_MODULE = 'echarts/dist/echarts.min.js';

export async function loadChartLibrary(): Promise<string> {
  // Not named `require`: CommonJS transpilers rewrite import.meta.url into a call of the real one.
  const resolver = createRequire(import.meta.url);
  return readFile(resolver.resolve(CHART_LIBRARY_MODULE), 'utf8');
}
