/**
 * The `busybox` applet itself: with no arguments the banner, usage and the
 * applet list (stdout, status 0); `--list` one name a line; `busybox NAME
 * ARGS` runs applet NAME. Applets provided outside this module (the shell)
 * are reached through ctx.spawn.
 */
import type { Tool } from './lib/tool.js';
import { BUSYBOX_BANNER } from './lib/tool.js';

export interface BusyboxRegistry {
  names(): string[];
  run(name: string, t: Tool, argv: string[]): Promise<number> | null;
}

/** Applets a busybox image has that other parts of mydock provide. */
export const EXTERNAL_APPLETS = ['ash', 'sh'];

function appletList(names: string[], width = 80): string {
  // busybox's appletlib: wrap before a name would reach the last column.
  const limit = width - 1;
  let out = '';
  let col = 0;
  for (const n of names) {
    const len2 = n.length + 2;
    if (col >= limit - len2) {
      out += ',\n';
      col = 0;
    }
    if (col === 0) {
      col = 6;
      out += '\t';
    } else out += ', ';
    out += n;
    col += len2;
  }
  return out + '\n';
}

export function makeBusybox(registry: BusyboxRegistry) {
  return async function busybox(t: Tool): Promise<number> {
    const args = t.ctx.argv.slice(1);
    const all = [...new Set([...registry.names(), ...EXTERNAL_APPLETS])].sort();
    if (args.length === 0 || args[0] === '--help') {
      await t.out(
        `${BUSYBOX_BANNER}\n` +
          'BusyBox is copyrighted by many authors between 1998-2015.\n' +
          'Licensed under GPLv2. See source distribution for detailed\n' +
          'copyright notices.\n\n' +
          'Usage: busybox [function [arguments]...]\n' +
          '   or: busybox --list[-full]\n' +
          '   or: busybox --install [-s] [DIR]\n' +
          '   or: function [arguments]...\n\n' +
          '\tBusyBox is a multi-call binary that combines many common Unix\n' +
          '\tutilities into a single executable.  The shell in this build\n' +
          '\tis configured to run built-in utilities without $PATH search.\n' +
          "\tYou don't need to install a link to busybox for each utility.\n" +
          '\tTo run external program, use full path (/sbin/ip instead of ip).\n\n' +
          'Currently defined functions:\n' +
          appletList(all),
      );
      return 0;
    }
    if (args[0] === '--list') {
      await t.out(all.map((n) => n + '\n').join(''));
      return 0;
    }
    if (args[0] === '--list-full') {
      await t.out(all.map((n) => `bin/${n}\n`).join(''));
      return 0;
    }
    const name = args[0]!.slice(args[0]!.lastIndexOf('/') + 1);
    const ran = registry.run(name, t, args);
    if (ran) return ran;
    if (EXTERNAL_APPLETS.includes(name)) return t.ctx.spawn(args);
    await t.ctx.stderr.write(`${args[0]}: applet not found\n`);
    return 127;
  };
}
