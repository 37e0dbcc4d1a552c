// Removes the run's temporary folder (global-setup.js) and everything the tests left in it.
const { rmSync } = require('node:fs');

module.exports = async () => {
  const runTmp = globalThis.__LOADPRINT_RUN_TMP__;
  if (runTmp) rmSync(runTmp, { recursive: true, force: true });
};
