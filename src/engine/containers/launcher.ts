/**
 * How the container service starts a program in a container. The runtime
 * (shell, applets, PATH lookup, users) implements it; the service only
 * builds the filesystem, the streams and the signals, and records what
 * happened.
 */
import type { ContainerFs } from '../../runtime/fs/container-fs.js';
import type { ContainerInfo, InputStream, OutputStream } from '../../runtime/process.js';
import type { ProcessSignals } from '../../runtime/signals.js';

export interface LaunchSpec {
  fs: ContainerFs;
  argv: string[];
  /** "NAME=value" entries, as Config.Env holds them (PATH and HOSTNAME are added by the launcher when missing). */
  env: string[];
  /** Absolute container path; "" for the user's home... as Docker: "/" */
  cwd: string;
  /** Config.User: "", "name", "uid", "uid:gid", "name:group". */
  user: string;
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  tty: boolean;
  signals: ProcessSignals;
  container: ContainerInfo;
  /** The emulated pid: 1 for the main process. */
  pid: number;
}

export interface PreparedLaunch {
  /** Runs the program to its end; resolves to its exit status (128+n when a signal ended it). */
  run(): Promise<number>;
}

export interface Launcher {
  /**
   * Checks everything runc checks before the program starts (the user
   * exists, argv[0] is found and executable, the working directory) and
   * throws Docker's error when it fails: `ociCreateFailed` for the main
   * process, `ociExecFailed` for `mode: 'exec'`, `unknownUser`.
   */
  prepare(spec: LaunchSpec, mode: 'main' | 'exec'): Promise<PreparedLaunch>;
}
