/**
 * Errors carry Docker's message text and the exit status Docker's CLI returns
 * for the same failure. The engine throws them; exactly one place in the CLI
 * (src/cli/main.ts) turns them into output and an exit status.
 *
 * How Docker frames a message depends on where the failure happens:
 * - `DaemonError`: the daemon refused the request. The CLI prints
 *   "Error response from daemon: <message>". Status 1, except for `run`
 *   (125, and the message is prefixed with "docker: " and followed by
 *   "Run 'docker run --help' for more information").
 * - `ClientError`: the CLI itself failed (a bad reference, an unreadable
 *   file). Printed as is. Status 1 (125 for `run`).
 * - `UsageError`: bad flags or arguments. Printed with the command's usage
 *   line; status 125 for every command (pflag errors in docker/cli).
 * - `ExitStatus`: not an error to print: a container's program ended with a
 *   status the CLI must exit with (`run` attached, `start -a`, `exec`).
 */

export type ErrorData = Record<string, string | number | boolean | null | undefined>;

export abstract class MydockError extends Error {
  /** A stable code for programs and tests, e.g. "NO_SUCH_CONTAINER". */
  abstract readonly code: string;
  /** Exit status outside `run`. */
  readonly status: number = 1;
  /** Exit status when the failure happens in `run` before its program starts. */
  readonly runStatus: number = 125;
  constructor(
    message: string,
    readonly data: ErrorData = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class DaemonError extends MydockError {
  readonly code: string;
  constructor(message: string, code = 'DAEMON', data: ErrorData = {}, options?: { status?: number; runStatus?: number }) {
    super(message, data);
    this.code = code;
    if (options?.status !== undefined) (this as { status: number }).status = options.status;
    if (options?.runStatus !== undefined) (this as { runStatus: number }).runStatus = options.runStatus;
  }
}

export class ClientError extends MydockError {
  readonly code: string;
  constructor(message: string, code = 'CLIENT', data: ErrorData = {}, options?: { status?: number }) {
    super(message, data);
    this.code = code;
    if (options?.status !== undefined) (this as { status: number }).status = options.status;
  }
}

export class UsageError extends MydockError {
  readonly code = 'USAGE';
  override readonly status = 125;
  constructor(message: string) {
    super(message);
  }
}

/** The program in a container ended: the CLI exits with its status and prints nothing more. */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit status ${status}`);
    this.name = 'ExitStatus';
  }
}

// ---- Docker's texts, one constructor per failure -------------------------

export const noSuchContainer = (name: string) =>
  new DaemonError(`No such container: ${name}`, 'NO_SUCH_CONTAINER', { name });

export const noSuchImage = (ref: string) => new DaemonError(`No such image: ${ref}`, 'NO_SUCH_IMAGE', { ref });

export const noSuchVolume = (name: string) =>
  new DaemonError(`get ${name}: no such volume`, 'NO_SUCH_VOLUME', { name });

export const containerNotRunning = (id: string) =>
  new DaemonError(`Container ${id} is not running`, 'NOT_RUNNING', { id });

export const nameConflict = (name: string, id: string) =>
  new DaemonError(
    `Conflict. The container name "/${name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`,
    'NAME_CONFLICT',
    { name, id },
  );

export const invalidContainerName = (name: string) =>
  new DaemonError(
    `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    'INVALID_NAME',
    { name },
  );
