#!/usr/bin/env node
// Entry point of `npx loadprint`: the CLI is bundled to dist/ by `npm ci` (prepare) or `npm run build`.
import('../dist/cli.mjs').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find module '[^']*dist[\\/]cli\.mjs'/.test(String(err.message))) {
    process.stderr.write('loadprint: the CLI is not built yet; run `npm run build` (or `npm ci`) first\n');
    process.exit(1);
  }
  throw err;
});
