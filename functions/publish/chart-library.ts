/**
 * The report's chart library in Lambda: the bundle carries `echarts.min.js` next to the handler
 * (PipelineSteps copies it in after bundling); from source (tests, local) it comes from node_modules.
 */
import { readFile } from 'node:fs/promises';
import { loadChartLibrary } from '../../lib/core/report/load-chart-library';

export const BUNDLED_CHART_LIBRARY = 'echarts.min.js';

export async function bundledChartLibrary(dir: string): Promise<string> {
  try {
    return await readFile(`${dir}/${BUNDLED_CHART_LIBRARY}`, 'utf8');
  } catch {
    return loadChartLibrary();
  }
}
