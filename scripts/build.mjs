// Bundles the CLI into dist/cli.mjs with esbuild (plus dist/chunks/ for code loaded on demand), dependencies left in node_modules
// (DuckDB is native) except the few listed in BUNDLED, so start-up stays fast. Runs on `npm ci` through the `prepare` script.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Packages imported through a deep path without an extension (ajv/dist/2020) cannot be resolved by
// Node's ESM loader from node_modules, so they are bundled. DuckDB's JavaScript API is bundled too:
// loaded from node_modules it is dozens of CommonJS files, which cost every command 45 ms to start.
// Its native binding (and every other dependency) stays external.
const BUNDLED = new Set(['ajv', '@duckdb/node-api']);
const external = [
  ...Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !BUNDLED.has(name)),
  '@duckdb/node-bindings',
].flatMap((name) => [name, `${name}/*`]);
// Chunk names carry a content hash: clear the last build's, so that dist/ holds one build.
rmSync(path.join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: { cli: path.join(root, 'bin/cli/index.ts') },
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  // Code behind a dynamic import() (the Bedrock writer and its AWS SDK) goes to a chunk of its own,
  // loaded only when a run asks for it.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external,
  sourcemap: 'linked',
  // The bundled CommonJS (DuckDB's API) calls require() for its external native binding.
  banner: { js: "import { createRequire as lpCreateRequire } from 'node:module'; const require = lpCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
