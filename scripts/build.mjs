// Bundles the CLI into dist/cli.mjs with esbuild: one file, dependencies left in node_modules
// (DuckDB is native), so start-up stays fast. Runs on `npm ci` through the `prepare` script.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await build({
  entryPoints: { cli: path.join(root, 'bin/cli/index.ts') },
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
