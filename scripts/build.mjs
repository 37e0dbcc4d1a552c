// Bundles the CLI into dist/cli.mjs with esbuild: one file, dependencies left in node_modules
// (DuckDB is native) except the few listed in BUNDLED, so start-up stays fast. Runs on `npm ci` through the `prepare` script.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Packages imported through a deep path without an extension (ajv/dist/2020) cannot be resolved by
// Node's ESM loader from node_modules, so they are bundled; every other dependency stays external.
const BUNDLED = new Set(['ajv']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);
await build({
  entryPoints: { cli: path.join(root, 'bin/cli/index.ts') },
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
