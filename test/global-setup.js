// The CLI end-to-end tests spawn the built CLI (dist/), so build it once per test run.
const { execFileSync } = require('node:child_process');
module.exports = async () => {
  execFileSync(process.execPath, [require.resolve('../scripts/build.mjs')], { stdio: 'inherit' });
};
