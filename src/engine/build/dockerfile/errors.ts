/**
 * Dockerfile errors, framed as the classic builder frames them. The daemon
 * reports two kinds, and users see the difference:
 * - while splitting the file into instructions and their arguments:
 *   "failed to parse Dockerfile: ENV must have two arguments"
 * - while checking one instruction: "dockerfile parse error line 2: unknown instruction: RUNN"
 */
import { DaemonError } from '../../errors.js';

export class DockerfileSyntaxError extends DaemonError {
  constructor(readonly detail: string) {
    super(`failed to parse Dockerfile: ${detail}`, 'DOCKERFILE_SYNTAX', { detail });
  }
}

export class DockerfileInstructionError extends DaemonError {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`dockerfile parse error line ${line}: ${detail}`, 'DOCKERFILE_INSTRUCTION', { line, detail });
  }
}

/** An instruction other than ARG before the first FROM, or no FROM at all. */
export class NoBuildStageError extends DaemonError {
  constructor() {
    super('no build stage in current context', 'NO_BUILD_STAGE');
  }
}
