/**
 * The busybox applets: the registry the shell and exec use to run a program
 * that a busybox binary (or link to it) stands for.
 *
 *   lookupApplet('ls')   -> ProgramMain, or undefined when not an applet
 *   appletNames()        -> every applet name, sorted
 *
 * Each applet gets a Tool (its context plus busybox's message helpers).
 * `--help` as the only argument prints the usage with status 0, as busybox's
 * dispatcher does, except for the applets that print their arguments.
 */
import type { ProcessContext, ProgramMain } from '../process.js';
import { makeBusybox } from './busybox.js';
import { AppletExit, Tool, type Applet } from './lib/tool.js';
import { APPLETS } from './table.js';
import { PACKAGE_PROGRAMS } from './packages/index.js';
import { SERVICE_PROGRAMS } from './services/index.js';

/** Programs images carry as their own binaries (package managers, services): not busybox applets. */
const PROGRAMS = new Map([...PACKAGE_PROGRAMS, ...SERVICE_PROGRAMS]);

/** Applets that treat "--help" as an ordinary argument. */
const NO_HELP = new Set(['echo', 'true', 'false', 'test', '[', '[[', 'printf', 'yes']);

async function runApplet(name: string, applet: Applet, ctx: ProcessContext): Promise<number> {
  const t = new Tool(ctx, name);
  try {
    if (ctx.argv.length === 2 && ctx.argv[1] === '--help' && !NO_HELP.has(name)) return await t.help();
    return await applet(t);
  } catch (e) {
    if (e instanceof AppletExit) return e.status;
    throw e;
  }
}

const busybox: Applet = makeBusybox({
  names: () => appletNames(),
  run(name, t, argv) {
    const applet = APPLETS.get(name) ?? (name === 'busybox' ? busybox : undefined);
    if (!applet) return null;
    return runApplet(name, applet, { ...t.ctx, argv });
  },
});

export function lookupApplet(name: string): ProgramMain | undefined {
  const program = PROGRAMS.get(name);
  if (program) return program;
  const applet = name === 'busybox' ? busybox : APPLETS.get(name);
  if (!applet) return undefined;
  return (ctx) => runApplet(name, applet, ctx);
}

export function appletNames(): string[] {
  return [...APPLETS.keys(), 'busybox'].sort();
}
