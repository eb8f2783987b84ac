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

// ---- images, references and pulls ------------------------------------------

/** A reference the CLI itself rejects (distribution/reference texts, printed as is). */
export const invalidReference = (message: string, input: string) =>
  new ClientError(message, 'INVALID_REFERENCE', { input });

/** The same failure found by the daemon, which uses the older reference texts ("repository name must be lowercase"). */
export const daemonInvalidReference = (message: string, input: string) =>
  new DaemonError(message, 'INVALID_REFERENCE', { input });

/** `docker tag` wraps the parse error of its target. */
export const tagParseError = (input: string, reason: string) =>
  new ClientError(`Error parsing reference: "${input}" is not a valid repository/tag: ${reason}`, 'INVALID_REFERENCE', {
    input,
  });

export const digestTagRefused = () =>
  new ClientError('refusing to create a tag with a digest reference', 'INVALID_TAG');

export const ambiguousTagName = () =>
  new DaemonError('refusing to create an ambiguous tag using digest algorithm as name', 'INVALID_TAG');

/** `docker image inspect` frames the lookup failure with the name it was given. */
export const inspectNoSuchImage = (name: string, reason: string) =>
  new DaemonError(`no such image: ${name}: ${reason}`, 'NO_SUCH_IMAGE', { name });

/** rmi of the only tag of an image a container was created from. */
export const imageReferenceInUse = (ref: string, containerId12: string, imageId12: string) =>
  new DaemonError(
    `conflict: unable to remove repository reference "${ref}" (must force) - container ${containerId12} is using its referenced image ${imageId12}`,
    'IMAGE_CONFLICT',
    { ref, containerId: containerId12, imageId: imageId12 },
  );

/** rmi conflicts: hard ones (child images, running containers) "cannot be forced". */
export const imageDeleteConflict = (imageId12: string, hard: boolean, reason: string) =>
  new DaemonError(
    `conflict: unable to delete ${imageId12} (${hard ? 'cannot be forced' : 'must be forced'}) - ${reason}`,
    'IMAGE_CONFLICT',
    { imageId: imageId12, hard },
  );

export const pullAccessDenied = (repository: string) =>
  new DaemonError(
    `pull access denied for ${repository}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
    'PULL_ACCESS_DENIED',
    { repository },
  );

export const manifestUnknown = (ref: string) =>
  new DaemonError(`manifest for ${ref} not found: manifest unknown: manifest unknown`, 'MANIFEST_UNKNOWN', { ref });

/** `docker save` of a name the reference store does not hold. */
export const referenceDoesNotExist = () => new DaemonError('reference does not exist', 'NO_SUCH_REFERENCE');

// ---- containers --------------------------------------------------------------

/** Docker's truncindex refuses a short ID that matches two containers. */
export const ambiguousContainerPrefix = (prefix: string) =>
  new DaemonError(`multiple IDs found with provided prefix: ${prefix}`, 'AMBIGUOUS_ID', { prefix });

export const removeRunningContainer = (id: string) =>
  new DaemonError(
    `You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`,
    'CONTAINER_RUNNING',
    { id },
  );

export const cannotKill = (name: string, id: string) =>
  new DaemonError(`Cannot kill container: ${name}: Container ${id} is not running`, 'NOT_RUNNING', { name, id });

export const containerNotPaused = (id: string) =>
  new DaemonError(`Container ${id} is not paused`, 'NOT_PAUSED', { id });

export const containerAlreadyPaused = (id: string) =>
  new DaemonError(`Container ${id} is already paused`, 'PAUSED', { id });

/** exec into a paused container names it as the user gave it. */
export const containerPausedExec = (name: string) =>
  new DaemonError(`Container ${name} is paused, unpause the container before exec`, 'PAUSED', { name });

export const renameSameName = () =>
  new DaemonError('Renaming a container with the same name as its current name', 'RENAME_SAME');

export const renameConflict = (conflict: DaemonError) =>
  new DaemonError(`Error when allocating new name: ${conflict.message}`, 'NAME_CONFLICT', conflict.data);

export const noCommandSpecified = () => new DaemonError('No command specified', 'NO_COMMAND');

/**
 * The program cannot be started (runc's texts). From `run`/`start` the daemon
 * says "failed to create shim task: OCI runtime create failed"; `run` exits
 * 127 (not found) or 126 (not executable), `start` 1.
 */
export type ExecFailure = 'not-found' | 'no-such-file' | 'permission';

export const ociCreateFailed = (argv0: string, reason: ExecFailure) =>
  new DaemonError(
    `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv0}": ${ociReason(reason, argv0)}: unknown`,
    'OCI_CREATE',
    { argv0, reason },
    { runStatus: reason === 'permission' ? 126 : 127 },
  );

/** The same failure for `exec`: printed bare (not a daemon error) and exit status 126. */
export const ociExecFailed = (argv0: string, reason: ExecFailure) =>
  new ClientError(
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv0}": ${ociReason(reason, argv0)}: unknown`,
    'OCI_EXEC',
    { argv0, reason },
    { status: 126 },
  );

function ociReason(reason: ExecFailure, argv0: string): string {
  if (reason === 'not-found') return 'executable file not found in $PATH';
  if (reason === 'no-such-file') return `stat ${argv0}: no such file or directory`;
  return 'permission denied';
}

export const unknownUser = (user: string) =>
  new DaemonError(`unable to find user ${user}: no matching entries in passwd file`, 'NO_SUCH_USER', { user });

/** `start` of several containers: each failure printed, then this summary. */
export const failedToStart = (names: string[]) =>
  new ClientError(`Error: failed to start containers: ${names.join(', ')}`, 'START_FAILED', { names: names.join(',') });

/**
 * Bad options to run/create found before any request is made (an empty
 * section in `-v`): Docker's CLI prints "docker: <msg>" and the help hint,
 * and exits 125, for `create` as for `run`.
 */
export class OptionError extends MydockError {
  readonly code = 'OPTION';
  override readonly status = 125;
  constructor(message: string, data: ErrorData = {}) {
    super(message, data);
  }
}

// ---- mounts: -v, --mount, --tmpfs ----------------------------------------

/** A bad --mount value: reported by the flag parser, with the usage (status 125). */
export const mountFlagInvalid = (spec: string, reason: string) =>
  new UsageError(`invalid argument "${spec}" for "--mount" flag: ${reason}`);

export const invalidVolumeSpec = (spec: string, reason?: string) =>
  new DaemonError(`invalid volume specification: '${spec}'${reason ? `: ${reason}` : ''}`, 'INVALID_VOLUME_SPEC', { spec });

export const invalidMountConfig = (type: string, reason: string) =>
  new DaemonError(`invalid mount config for type "${type}": ${reason}`, 'INVALID_MOUNT_CONFIG', { type, reason });

export const invalidMode = (mode: string) => new DaemonError(`invalid mode: ${mode}`, 'INVALID_MODE', { mode });

export const invalidVolumeName = (name: string) =>
  new DaemonError(
    `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    'INVALID_VOLUME_NAME',
    { name },
  );

export const mountPathNotAbsolute = (p: string) => `invalid mount path: '${p}' mount path must be absolute`;

export const volumeNameTooShort = (name: string) =>
  new DaemonError(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`, 'VOLUME_NAME_TOO_SHORT', { name });

/** runc's start failure for any reason the runtime gives (`detail`, e.g. `exec: "x": permission denied`). */
export const ociStartFailed = (detail: string, runStatus: number) =>
  new DaemonError(
    `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${detail}: unknown`,
    'OCI_CREATE',
    { detail },
    { runStatus },
  );

/** The same for `exec` (status 126 whatever the reason, as Docker's CLI exits). */
export const ociExecStartFailed = (detail: string) =>
  new ClientError(`OCI runtime exec failed: exec failed: unable to start container process: ${detail}: unknown`, 'OCI_EXEC', { detail }, { status: 126 });

/** `kill` of a container that does not exist wraps the lookup failure. */
export const cannotKillMissing = (name: string, reason: string) =>
  new DaemonError(`Cannot kill container: ${name}: ${reason}`, 'NO_SUCH_CONTAINER', { name });

/** `run -w PATH` where PATH is not a directory. */
export const cannotMkdir = (path: string) => new DaemonError(`Cannot mkdir: ${path} is not a directory`, 'CANNOT_MKDIR', { path });

/** runc cannot mount a directory over a file or a file over a directory (`-v dir:/etc/passwd`). */
export const mountTypeMismatch = (source: string, target: string, reason: 'not a directory' | 'is a directory') =>
  new DaemonError(
    `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "${source}" to rootfs at "${target}": mount ${source}:${target} (via /proc/self/fd/6), flags: 0x5000: ${reason}: unknown: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type`,
    'MOUNT_TYPE_MISMATCH',
    { source, target },
  );

// ---- --filter ---------------------------------------------------------------

/** A filter key the daemon does not know, or a value it refuses: "Invalid filter 'dangling=[maybe]'". */
export const invalidFilter = (key: string, values?: readonly string[]) =>
  new DaemonError(
    values === undefined ? `Invalid filter '${key}'` : `Invalid filter '${key}=[${values.join(' ')}]'`,
    'INVALID_FILTER',
    { key },
  );

/** A --filter value without "=": refused by the CLI's flag parser, with the usage (status 125). */
export const badFilterFormat = (value: string, flag: string) =>
  new UsageError(`invalid argument "${value}" for "${flag}" flag: bad format of filter (expected name=value)`);

/** An `until=` filter value that is neither a duration, a time nor Unix seconds. */
export const badUntilFilter = (value: string) => new DaemonError(`failed to parse value as time or duration: "${value}"`, 'INVALID_FILTER');

// ---- volumes -------------------------------------------------------------------

export const volumeInUse = (name: string, ids: string[]) =>
  new DaemonError(`remove ${name}: volume is in use - [${ids.join(', ')}]`, 'VOLUME_IN_USE', { name });

export const invalidVolumeOption = (name: string, option: string) =>
  new DaemonError(`create ${name}: invalid option: "${option}"`, 'INVALID_VOLUME_OPTION', { name, option });

export const unknownVolumeDriver = (name: string, driver: string) =>
  new DaemonError(`create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found`, 'NO_SUCH_PLUGIN', { name, driver });
