#!/usr/bin/env node
/**
 * The Node.js that the Lambda functions run on in AWS (LAMBDA_RUNTIME in lib/loadprint-function.ts),
 * so that tests (`npm run test:lts`) run on the runtime's major, the current LTS, rather than on the
 * machine's Node. It is the official build from the npm registry (package `node-<platform>-<arch>`,
 * version `config.lambdaNodeVersion` in package.json), kept in node_modules/.cache/lambda-node/<version>:
 * a folder of its own, because the package's `node` bin would otherwise shadow the machine's Node in
 * every npm script. It is installed once, on first use (.ci/run installs it with the other packages;
 * the project's .npmrc turns install scripts off, so `npm ci` cannot).
 *
 *   node scripts/lambda-node.mjs --install     install it unless it is there, print its path
 *   node scripts/lambda-node.mjs <args...>     run it with <args>, installing it first if needed
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

/** Installs the build unless it is there; the only step that reaches the network (the npm registry). */
function install() {
  if (existsSync(binary)) return;
  process.stderr.write(`installing Node ${version} (${pkg}) for the Lambda functions' tests ...\n`);
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const args = process.argv.slice(2);
try {
  install();
} catch {
  process.stderr.write(`lambda-node: could not install ${pkg}@${version} from the npm registry; check the connection to it, then run \`node scripts/lambda-node.mjs --install\`\n`);
  process.exit(1);
}
if (args[0] === '--install') {
  process.stdout.write(`${binary}\n`);
} else {
  const r = spawnSync(binary, args, { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
