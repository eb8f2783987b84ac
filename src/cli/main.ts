/**
 * The CLI entry: global flags, command lookup, flag parsing, and the one place
 * where errors become output and an exit status.
 */
import path from 'node:path';
import { DaemonError, ExitStatus, MydockError, OptionError, UsageError } from '../engine/errors.js';
import type { CommandContext, CommandDef, GlobalOptions } from './command.js';
import { FlagError, flagBool, flagString, parseFlags, type FlagSpec } from './flags.js';
import { processIo, type Io } from './io.js';
import { PROGRAM, VERSION } from './program-name.js';
import { loadGroup, MANAGEMENT, resolveCommand } from './registry.js';
import { checkArgs, commandHelp, flagErrorText, groupHelp } from './usage.js';
import { topLevelHelp } from './top-help.js';
import { os } from '../state/node-builtins.js';

/** The bin script flushes the process's streams through the same module graph (bundled or not) before it exits. */
export { flushProcessStreams } from './io.js';

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'root', kind: 'string', description: 'Root directory of persistent mydock state (default "~/.mydock", or $MYDOCK_ROOT)' },
  { name: 'storage-driver', kind: 'string', description: 'Storage driver for a new root: overlay2 or vfs (default "overlay2")' },
  { name: 'debug', short: 'D', kind: 'bool', description: 'Enable debug mode' },
  { name: 'host', short: 'H', kind: 'list', description: 'Accepted for compatibility; mydock has no daemon', hidden: true },
  { name: 'log-level', short: 'l', kind: 'string', description: 'Set the logging level', hidden: true },
  { name: 'config', kind: 'string', description: 'Location of client config files', hidden: true },
  { name: 'context', short: 'c', kind: 'string', description: 'Name of the context to use', hidden: true },
  { name: 'version', short: 'v', kind: 'bool', description: 'Print version information and quit' },
];

export function resolveRoot(flagValue: string | undefined, env: NodeJS.ProcessEnv): string {
  const raw = flagValue ?? env.MYDOCK_ROOT ?? path.join(os().homedir(), '.mydock');
  return path.resolve(raw.startsWith('~/') ? path.join(os().homedir(), raw.slice(2)) : raw);
}

export async function main(argv: readonly string[], io: Io = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let global;
  try {
    global = parseFlags(argv, GLOBAL_FLAGS, { interspersed: false });
  } catch (err) {
    if (err instanceof FlagError) {
      io.err.write(`${err.message}\nSee '${PROGRAM} --help'.\n`);
      return 125;
    }
    throw err;
  }
  if (flagBool(global.flags, 'version')) {
    io.out.write(`${PROGRAM} version ${VERSION}\n`);
    return 0;
  }
  const words = global.args;
  if (words.length === 0 || global.help) {
    io.out.write(topLevelHelp());
    return 0;
  }
  const globals: GlobalOptions = {
    root: resolveRoot(flagString(global.flags, 'root'), env),
    storageDriver: flagString(global.flags, 'storage-driver'),
    debug: flagBool(global.flags, 'debug'),
  };

  const resolved = resolveCommand(words);
  if (!resolved) {
    if (MANAGEMENT[words[0]!] !== undefined && (words.length === 1 || words[1]!.startsWith('-'))) {
      io.out.write(groupHelp(words[0]!));
      return 0;
    }
    if (MANAGEMENT[words[0]!] !== undefined) {
      // An unknown subcommand of a management command names the group's usage.
      const group = words[0]!;
      io.err.write(
        `${PROGRAM}: unknown command: ${PROGRAM} ${group} ${words[1]}\n\nUsage:  ${PROGRAM} ${group}\n\nRun '${PROGRAM} ${group} --help' for more information\n`,
      );
      return 1;
    }
    io.err.write(`${PROGRAM}: unknown command: ${PROGRAM} ${words[0]}\n\nRun '${PROGRAM} --help' for more information\n`);
    return 1;
  }

  const { entry, words: cmdWords } = resolved;
  const group = await loadGroup(entry.group);
  const def = group.commands[entry.key];
  if (!def) {
    io.err.write(`${PROGRAM}: '${cmdWords.join(' ')}' is not implemented yet\n`);
    return 1;
  }

  let parsed;
  try {
    parsed = parseFlags(words.slice(cmdWords.length), def.flags, { interspersed: def.interspersed ?? true });
  } catch (err) {
    if (err instanceof FlagError) {
      io.err.write(flagErrorText(err.message, cmdWords, def));
      return 125;
    }
    throw err;
  }
  if (parsed.help) {
    io.out.write(commandHelp(entry, cmdWords, def));
    return 0;
  }
  const argError = checkArgs(def.args, parsed.args.length, cmdWords, def);
  if (argError) {
    io.err.write(argError);
    return 1;
  }

  let enginePromise: Promise<import('../engine/engine.js').Engine> | undefined;
  const ctx: CommandContext = {
    args: parsed.args,
    flags: parsed.flags,
    io,
    globals,
    invokedAs: cmdWords,
    engine: () => {
      enginePromise ??= import('../engine/engine.js').then((m) =>
        m.openEngine({ root: globals.root, storageDriver: globals.storageDriver }),
      );
      return enginePromise;
    },
  };
  try {
    const status = await def.handler(ctx);
    return status ?? 0;
  } catch (err) {
    return reportError(err, def, cmdWords, io, globals.debug);
  }
}

/** The single mapping from a thrown error to Docker's output and exit status. */
export function reportError(err: unknown, def: CommandDef, words: readonly string[], io: Io, debug: boolean): number {
  if (err instanceof ExitStatus) return err.status;
  if (err instanceof UsageError) {
    io.err.write(flagErrorText(err.message, words, def));
    return err.status;
  }
  if (err instanceof MydockError) {
    const text = err instanceof DaemonError ? `Error response from daemon: ${err.message}` : err.message;
    if (def.framing === 'run' || err instanceof OptionError) {
      io.err.write(`${PROGRAM}: ${text}\n\nRun '${PROGRAM} ${words.join(' ')} --help' for more information\n`);
      return err instanceof OptionError ? err.status : err.runStatus;
    }
    io.err.write(`${text}\n`);
    return err.status;
  }
  // Not one of ours: a bug or an unexpected host failure. Say what failed,
  // never dump a stack unless asked (-D).
  const message = err instanceof Error ? err.message : String(err);
  io.err.write(`${PROGRAM}: ${message}\n`);
  if (debug && err instanceof Error && err.stack) io.err.write(err.stack + '\n');
  return 1;
}
