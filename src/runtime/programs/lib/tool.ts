/**
 * What every applet needs around its ProcessContext: its name for messages,
 * busybox's error line shapes, the usage text, and option parsing that
 * prints busybox's usage on a bad option.
 */
import { FsError } from '../../../storage/backend.js';
import type { ProcessContext } from '../../process.js';
import { getopt, OptError, type OptSpec, type Parsed } from './getopt.js';
import { USAGE } from './usage.js';

/**
 * The banner of the reference busybox: the conformance base image is built
 * from Debian's busybox-static, and its texts are what users compare with.
 */
export const BUSYBOX_BANNER = 'BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.';

/** Raised by an applet to end with a status after it printed its message. */
export class AppletExit extends Error {
  constructor(readonly status: number) {
    super(`applet exit ${status}`);
    this.name = 'AppletExit';
  }
}

export class Tool {
  constructor(
    readonly ctx: ProcessContext,
    readonly name: string,
  ) {}

  async out(data: string | Uint8Array): Promise<void> {
    if (typeof data === 'string' ? data.length === 0 : data.byteLength === 0) return;
    await this.ctx.stdout.write(data);
  }

  /** `<applet>: <msg>` on stderr. */
  async err(msg: string): Promise<void> {
    await this.ctx.stderr.write(`${this.name}: ${msg}\n`);
  }

  /** `<applet>: <path>: <C text>`, busybox's bb_simple_perror_msg(path). */
  async errPath(path: string, e: unknown): Promise<void> {
    await this.err(`${path}: ${errText(e)}`);
  }

  /** Prints the banner and usage on stderr; status 1 as bb_show_usage. */
  async usage(): Promise<number> {
    await this.ctx.stderr.write(`${BUSYBOX_BANNER}\n${USAGE[this.name] ?? '\nNo help available\n'}`);
    return 1;
  }

  /** `<applet> --help` prints the usage and exits 0, like busybox's dispatcher. */
  async help(): Promise<number> {
    await this.usage();
    return 0;
  }

  /** Parses options; on an error prints glibc's text and the usage and throws AppletExit(1). */
  async opts(spec: OptSpec, argv: string[] = this.ctx.argv.slice(1)): Promise<Parsed> {
    try {
      return getopt(argv, spec);
    } catch (e) {
      if (!(e instanceof OptError)) throw e;
      await this.err(e.text);
      await this.usage();
      throw new AppletExit(1);
    }
  }

  /** busybox's bb_error_msg_and_die: message, then status 1. */
  async die(msg: string, status = 1): Promise<never> {
    await this.err(msg);
    throw new AppletExit(status);
  }
}

/** The C library's text for a filesystem error; anything else is a bug and propagates. */
export function errText(e: unknown): string {
  if (e instanceof FsError) return e.text;
  throw e;
}

export function isFsError(e: unknown, code?: string): e is FsError {
  return e instanceof FsError && (code === undefined || e.code === code);
}

/** An applet's body: gets its Tool (context + name), resolves to the exit status. */
export type Applet = (t: Tool) => Promise<number>;
