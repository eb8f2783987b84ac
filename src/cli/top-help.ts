/** The top-level help page, grouped as Docker's. */
import { PROGRAM } from './program-name.js';
import { COMMANDS, MANAGEMENT } from './registry.js';

const COMMON = ['run', 'exec', 'ps', 'build', 'pull', 'images', 'info', 'version'];

export function topLevelHelp(): string {
  const short = new Map<string, string>();
  for (const c of COMMANDS) {
    for (const p of c.paths) if (p.length === 1) short.set(p[0]!, c.short);
  }
  const col = (rows: [string, string][]) => {
    const w = Math.max(...rows.map(([n]) => n.length)) + 2;
    return rows.map(([n, s]) => `  ${n.padEnd(w)}${s}`).join('\n');
  };
  const common = COMMON.filter((c) => short.has(c)).map((c): [string, string] => [c, short.get(c)!]);
  const management = Object.entries(MANAGEMENT).sort(([a], [b]) => a.localeCompare(b));
  const others = [...short.entries()].filter(([n]) => !COMMON.includes(n)).sort(([a], [b]) => a.localeCompare(b));
  return [
    `Usage:  ${PROGRAM} [OPTIONS] COMMAND`,
    '',
    'A Docker-compatible CLI that emulates how the Docker Engine stores data:',
    'layers, copy-on-write, storage drivers, volumes, bind mounts and tmpfs.',
    '',
    'Common Commands:',
    col(common),
    '',
    'Management Commands:',
    col(management),
    '',
    'Commands:',
    col(others),
    '',
    'Global Options:',
    col([
      ['--root string', 'Root directory of persistent state (default "~/.mydock", or $MYDOCK_ROOT)'],
      ['--storage-driver string', 'Storage driver for a new root: overlay2 or vfs'],
      ['-D, --debug', 'Enable debug mode'],
      ['-v, --version', 'Print version information and quit'],
    ]),
    '',
    `Run '${PROGRAM} COMMAND --help' for more information on a command.`,
    '',
  ].join('\n');
}
