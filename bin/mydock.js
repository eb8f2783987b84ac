#!/usr/bin/env node
'use strict';
// Entry point. Kept tiny: `--version` answers before anything else loads; the
// rest of the CLI comes from the code-cached bundle when it is up to date
// (see bundle-loader.js), else from dist/, loading a command's modules only
// when that command runs.
const argv = process.argv.slice(2);

async function run() {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    const { PROGRAM, VERSION } = await import('../dist/cli/program-name.js');
    process.stdout.write(`${PROGRAM} version ${VERSION}\n`);
    return;
  }
  const { bundleIsFresh, loadBundle } = require('./bundle-loader.js');
  const cli = bundleIsFresh() ? loadBundle().exports : await import('../dist/cli/main.js');
  const status = await cli.main(argv);
  await cli.flushProcessStreams();
  process.exit(status);
}

run();
