/**
 * Whether two runs profiled the same service, so that drift between them means something. A run
 * folder next to another may hold a run of anything (`--out /tmp/x` sits beside every other run in
 * /tmp), so drift needs the same log format and a production host in common or, where a run's logs
 * name no host (combined logs), logs read from the same folder.
 */
import path from 'node:path';
import type { LogFormat, Manifest, TrafficModel } from '../types';

export interface RunIdentity {
  readonly format: LogFormat;
  /** Production hosts the logs name (model.json `productionHosts`). */
  readonly hosts: readonly string[];
  /** The folder that holds every input file, as the run was given it. */
  readonly logFolder: string;
}

export function runIdentity(manifest: Pick<Manifest, 'format' | 'inputs'>, model: Pick<TrafficModel, 'productionHosts'>): RunIdentity {
  return { format: manifest.format, hosts: model.productionHosts, logFolder: commonFolder(manifest.inputs.map((i) => i.path)) };
}

export function sameService(a: RunIdentity, b: RunIdentity): boolean {
  if (a.format !== b.format) return false;
  if (a.hosts.length > 0 && b.hosts.length > 0) return a.hosts.some((h) => b.hosts.includes(h));
  return a.logFolder === b.logFolder;
}

/** The deepest folder that holds every path, as the paths were given ('' for none). */
function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let common = path.dirname(paths[0]!).split(path.sep);
  for (const p of paths.slice(1)) {
    const parts = path.dirname(p).split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep);
}
