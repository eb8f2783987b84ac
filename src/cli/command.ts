/**
 * What a command module provides. Command files are glue (STYLE.md): parse
 * options, call the engine, hand the result to a formatter, write through
 * `ctx.io`. They throw the engine's typed errors; main.ts prints them.
 */
import type { Engine } from '../engine/engine.js';
import type { FlagSpec, ParsedFlags } from './flags.js';
import type { Io } from './io.js';

/** How many positional arguments a command takes, with docker/cli's texts. */
export type ArgRule =
  | { kind: 'none' }
  | { kind: 'min'; n: number }
  | { kind: 'max'; n: number }
  | { kind: 'exact'; n: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'any' };

export interface GlobalOptions {
  /** From --root, else MYDOCK_ROOT, else ~/.mydock. */
  root: string;
  /** --storage-driver, used when the root is created. */
  storageDriver?: string;
  debug: boolean;
}

export interface CommandContext {
  args: string[];
  flags: ParsedFlags;
  io: Io;
  globals: GlobalOptions;
  /** The words the user typed for the command, e.g. ['images'] or ['image', 'ls']. */
  invokedAs: string[];
  /** Opens the engine on the root (created on first use). */
  engine(): Promise<Engine>;
}

export type CommandHandler = (ctx: CommandContext) => Promise<number | void>;

export interface CommandDef {
  /** Usage after the command words: "[OPTIONS] IMAGE [COMMAND] [ARG...]". */
  usage: string;
  short: string;
  flags: FlagSpec[];
  args: ArgRule;
  /** false: flags end at the first positional argument (run, exec, create). */
  interspersed?: boolean;
  /**
   * `run` frames errors as "docker: <msg>\n\nRun 'docker run --help' …" and
   * exits 125; every other command prints the bare message and exits 1.
   */
  framing?: 'run';
  handler: CommandHandler;
}

/** A command group module (src/cli/commands/<group>.ts) exports this. */
export type CommandGroup = Record<string, CommandDef>;
