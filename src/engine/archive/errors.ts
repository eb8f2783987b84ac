/**
 * The failures of save, load, import and export, with Docker's texts. Where
 * Docker reports a failure decides its framing: `load` streams its errors as
 * JSON messages, which the CLI prints bare (ClientError); `import`, `save`
 * and `export` fail the HTTP request, printed "Error response from daemon:"
 * (DaemonError); the CLI's own checks (a terminal, a missing file) are bare.
 */
import { ClientError, DaemonError } from '../errors.js';

/** The daemon's chrootarchive wraps every untar failure in this frame. */
export function tarProcessingText(reason: string): string {
  return `Error processing tar file(exit status 1): ${reason}`;
}

export const loadTarError = (reason: string) => new ClientError(tarProcessingText(reason), 'LOAD_INVALID_TAR', { reason });

export const importTarError = (reason: string) => new DaemonError(tarProcessingText(reason), 'IMPORT_INVALID_TAR', { reason });

/** image/tarexport: a layer whose bytes do not hash to the DiffID its config names. */
export const invalidDiffId = (index: number, expected: string, actual: string) =>
  new ClientError(`invalid diffID for layer ${index}: expected "${expected}", got "${actual}"`, 'INVALID_DIFF_ID', {
    index,
    expected,
    actual,
  });

export const layersLengthMismatch = (expected: number, actual: number) =>
  new ClientError(`invalid manifest, layers length mismatch: expected ${expected}, got ${actual}`, 'INVALID_MANIFEST', {
    expected,
    actual,
  });

/** An archive member that is not where the manifest says (Go's os.Open text). */
export const archiveFileMissing = (name: string) =>
  new ClientError(`open ${name}: no such file or directory`, 'LOAD_MISSING_FILE', { name });

export const invalidLoadTag = (tag: string) => new ClientError(`invalid tag "${tag}"`, 'INVALID_TAG', { tag });

export const unsupportedCompression = (kind: string) =>
  new ClientError(tarProcessingText(`${kind} compressed archives are not supported`), 'UNSUPPORTED_COMPRESSION', { kind });

/** A host file the CLI cannot open (`load -i`, `import FILE`): Go's *PathError text. */
export const openFailed = (file: string, reason: string) => new ClientError(`open ${file}: ${reason}`, 'OPEN_FAILED', { file });

export const cowardlyRefusing = () =>
  new ClientError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 'TERMINAL_OUTPUT');

export const loadStdinEmpty = () => new ClientError('requested load from stdin, but stdin is empty', 'LOAD_STDIN_TERMINAL');

export const emptyExport = () => new DaemonError('empty export - not implemented', 'EMPTY_EXPORT');

export const importDigestRefused = () => new DaemonError('cannot import digest reference', 'INVALID_REFERENCE');

/** docker/cli's ValidateOutputPath, wrapped by the command ("failed to save image: …"). */
export const invalidOutputPath = (what: string, reason: string) =>
  new ClientError(`failed to ${what}: invalid output path: ${reason}`, 'INVALID_OUTPUT_PATH');
