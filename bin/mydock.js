#!/usr/bin/env node
// Entry point. Kept tiny: `--version` answers before anything else loads, and
// the CLI loads a command's modules only when that command runs.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { PROGRAM, VERSION } = await import('../dist/cli/program-name.js');
  process.stdout.write(`${PROGRAM} version ${VERSION}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  const { flushProcessStreams } = await import('../dist/cli/io.js');
  const status = await main(argv);
  await flushProcessStreams();
  process.exit(status);
}
