#!/usr/bin/env node
/**
 * The Node.js that the Lambda functions run on in AWS (LAMBDA_RUNTIME in lib/loadprint-function.ts),
 * so that their tests run on the runtime's major rather than only on the machine's Node. It is the
 * official build from the npm registry (package `node-<platform>-<arch>`, version
 * `config.lambdaNodeVersion` in package.json), kept in node_modules/.cache/lambda-node/<version>: a
 * folder of its own, because the package's `node` bin would otherwise shadow the machine's Node in
 * every npm script. `npm ci` installs it (the `prepare` script).
 *
 *   node scripts/lambda-node.mjs --install     install it unless it is there
 *   node scripts/lambda-node.mjs <args...>     run it with <args>; never downloads
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).config.lambdaNodeVersion;
const pkg = `node-${process.platform}-${process.arch}`;
const prefix = path.join(root, 'node_modules', '.cache', 'lambda-node', version);
const binary = path.join(prefix, 'node_modules', pkg, 'bin', 'node');

const args = process.argv.slice(2);
if (args[0] === '--install') {
  if (!existsSync(binary)) {
    process.stderr.write(`installing Node ${version} (${pkg}) for the Lambda functions' tests ...\n`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`], {
      stdio: 'inherit',
    });
  }
  process.stdout.write(`${binary}\n`);
} else {
  if (!existsSync(binary)) {
    process.stderr.write(`lambda-node: Node ${version} for the Lambda functions' tests is not installed; run \`node scripts/lambda-node.mjs --install\` (npm ci does)\n`);
    process.exit(1);
  }
  const r = spawnSync(binary, args, { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
