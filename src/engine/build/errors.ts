/**
 * Build failures. Once a build has started streaming, the daemon reports a
 * failure inside the stream, and the CLI prints the bare message (no "Error
 * response from daemon:") and exits with the code the message carries: a
 * failing RUN's own exit status, 1 otherwise. Failures found before the
 * stream starts (a Dockerfile parse error, a missing target) stay
 * `DaemonError`s.
 */
import { ClientError } from '../errors.js';

export class BuildStepError extends ClientError {
  constructor(message: string, code = 'BUILD_STEP', status = 1) {
    super(message, code, {}, { status });
  }
}

/** `The command '/bin/sh -c make /app' returned a non-zero code: 127`. */
export const commandFailed = (argv: readonly string[], status: number) =>
  new BuildStepError(`The command '${argv.join(' ')}' returned a non-zero code: ${status}`, 'BUILD_RUN_FAILED', status);

export const copyFailed = (cmd: 'COPY' | 'ADD', detail: string) => new BuildStepError(`${cmd} failed: ${detail}`, 'BUILD_COPY_FAILED');

export const forbiddenPath = (p: string) => new BuildStepError(`forbidden path outside the build context: ${p} ()`, 'BUILD_FORBIDDEN_PATH');

export const multiSourceDest = (cmd: 'COPY' | 'ADD') =>
  new BuildStepError(`When using ${cmd} with more than one source file, the destination must be a directory and end with a /`, 'BUILD_MULTI_SOURCE');

/** mydock has no network: ADD of a URL fails as Docker's does without DNS. */
export const addUrlOffline = (url: string) => {
  const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(url)?.[1] ?? url;
  return copyFailed('ADD', `Get "${url}": dial tcp: lookup ${host}: no such host (mydock works offline and cannot download files)`);
};

export const buildkitOnly = (option: string) =>
  new BuildStepError(`the --${option} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled`, 'BUILDKIT_ONLY');
