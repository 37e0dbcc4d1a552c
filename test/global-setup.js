// Once per `jest` run, before any worker starts (workers and the processes they spawn inherit the
// environment set here):
// - build the CLI, which the end-to-end tests spawn from dist/;
// - give the run a temporary folder of its own as TMPDIR, removed by global-teardown.js: tests, the
//   CLI runs they start, Locust, Chromium and aws-cdk's App (which writes cdk.out folders when given
//   no outdir) leave over a thousand folders per run in the system's temporary folder otherwise;
// - keep the generated-logs cache (test/helpers/generated-logs.ts) in the system's temporary folder,
//   so that later runs reuse it.
const { execFileSync } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [require.resolve('../scripts/build.mjs')], { stdio: 'inherit' });
  const systemTmp = os.tmpdir();
  process.env.LOADPRINT_TEST_LOGS_CACHE ??= path.join(systemTmp, 'loadprint-test-logs-v1');
  const runTmp = mkdtempSync(path.join(systemTmp, 'loadprint-tests-'));
  globalThis.__LOADPRINT_RUN_TMP__ = runTmp;
  process.env.TMPDIR = runTmp;
};
