/**
 * The `loadprint` command line: this file only registers the commands, one file per command.
 */
import { Command } from 'commander';
import { version } from '../../package.json';
import { registerDiff } from './diff';
import { registerRun } from './run';
import { registerServe } from './serve';
import { registerSimulate } from './simulate';
import { registerTarget } from './target';
import { registerValidate } from './validate';
import { registerWatch } from './watch';

// The AWS SDK (loaded for s3:// inputs and the Bedrock writer) warns on Node 20 that its releases
// from 2027 will need Node 22: nine lines a user running a command can do nothing about, before the
// one line the command prints. The lock file pins the SDK; moving to Node 22 is the project's to do.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const program = new Command('loadprint')
  .description('Turn production access logs into realistic, validated load tests.')
  // The version a bug report should quote; manifest.json records it with Node's and DuckDB's.
  .version(version, '-V, --version', 'print the version and exit')
  .option('--debug', 'show stack traces and debug logs')
  .showHelpAfterError('(run `loadprint --help` for usage)');

registerRun(program);
registerServe(program);
registerWatch(program);
registerDiff(program);
registerSimulate(program);
registerTarget(program);
registerValidate(program);

program.parseAsync(process.argv).catch(() => {
  // Commands report their own errors through withErrors(); commander's parse errors exit itself.
  process.exitCode = 1;
});
