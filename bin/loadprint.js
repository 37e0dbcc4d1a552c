#!/usr/bin/env node
// Entry point of `npx loadprint`. The CLI is bundled to dist/ by esbuild (`npm run build`); on the
// first use after `npm ci` the bundle does not exist yet, so it is built here, once.
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.mjs');
if (!existsSync(bundle)) {
  try {
    execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  } catch {
    process.stderr.write('loadprint: could not build the CLI; run `npm ci` in the repository, then `npm run build`\n');
    process.exit(1);
  }
}
import(require('node:url').pathToFileURL(bundle).href).catch((err) => {
  process.stderr.write(`loadprint: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
