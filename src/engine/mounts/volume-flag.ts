/**
 * `-v SRC:DST[:MODE]` / `-v DST`, parsed as Docker does on Linux:
 * an empty section is a client error; the rest is checked by the daemon
 * (absolute destination, not "/", a valid volume name, a valid mode list).
 */
import { volumeNameTooShort, invalidMode, invalidMountConfig, invalidVolumeName, invalidVolumeSpec, mountPathNotAbsolute, OptionError } from '../errors.js';
import type { MountRequest } from './types.js';

export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

const RW_MODES = new Set(['rw', 'ro']);
const LABEL_MODES = new Set(['z', 'Z']);
const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = new Set(['consistent', 'cached', 'delegated']);
const COPY_MODES = new Set(['nocopy']);

/** Checks the mode list: each item known, at most one per kind. */
function checkMode(mode: string): { readOnly: boolean; propagation?: string; noCopy: boolean; consistency?: string } {
  const seen = new Set<string>();
  const out: { readOnly: boolean; propagation?: string; noCopy: boolean; consistency?: string } = { readOnly: false, noCopy: false };
  for (const item of mode.split(',')) {
    const kind = RW_MODES.has(item)
      ? 'rw'
      : LABEL_MODES.has(item)
        ? 'label'
        : PROPAGATION.has(item)
          ? 'propagation'
          : CONSISTENCY.has(item)
            ? 'consistency'
            : COPY_MODES.has(item)
              ? 'copy'
              : null;
    if (kind === null || seen.has(kind)) throw invalidMode(mode);
    seen.add(kind);
    if (item === 'ro') out.readOnly = true;
    if (kind === 'propagation') out.propagation = item;
    if (kind === 'consistency') out.consistency = item;
    if (item === 'nocopy') out.noCopy = true;
  }
  return out;
}

export function checkVolumeName(name: string): void {
  if (/^[a-zA-Z0-9]$/.test(name)) throw volumeNameTooShort(name);
  if (!VOLUME_NAME.test(name)) throw invalidVolumeName(name);
}

/**
 * The CLI's own pass over `-v` (docker/cli reads it with the compose volume
 * parser before sending anything): an empty section or a fourth section is
 * refused here, except that one letter followed by ":" reads as a Windows
 * drive ("c:d"), which is why `/a:/b:c:d` reaches the daemon and fails there.
 */
function clientCheck(spec: string): void {
  let buffer = '';
  let sections = 0;
  const fail = (why: string) => new OptionError(`invalid spec: ${spec}: ${why}`, { spec });
  for (let i = 0; i <= spec.length; i++) {
    const ch = i < spec.length ? spec[i]! : null;
    if (ch === ':' && buffer.length === 1 && /\p{L}/u.test(buffer)) {
      buffer += ch;
      continue;
    }
    if (ch === ':' || ch === null) {
      if (buffer === '') throw fail('empty section between colons');
      sections++;
      if (sections > 2 && ch === ':') throw fail('too many colons');
      buffer = '';
      continue;
    }
    buffer += ch;
  }
}

export function parseVolumeFlag(spec: string): MountRequest {
  if (spec.length > 2) clientCheck(spec);
  const parts = spec.split(':');
  if (parts.length > 3 || spec === '') throw invalidVolumeSpec(spec);
  if (parts.length === 1) {
    const target = parts[0]!;
    if (!target.startsWith('/')) throw invalidVolumeSpec(spec, invalidMountConfig('volume', mountPathNotAbsolute(target)).message);
    return anonymous(target);
  }
  const [source, target, mode = ''] = parts as [string, string, string?];
  const type = source.startsWith('/') ? 'bind' : 'volume';
  if (!target.startsWith('/')) throw invalidVolumeSpec(spec, invalidMountConfig(type, mountPathNotAbsolute(target)).message);
  if (normalise(target) === '/') throw invalidVolumeSpec(spec, invalidMountConfig(type, "invalid specification: destination can't be '/'").message);
  const m = mode === '' ? { readOnly: false, noCopy: false } : checkMode(mode);
  // The daemon accepts a one-letter name here (only `volume create` says it is too short).
  if (type === 'volume' && !/^[a-zA-Z0-9]$/.test(source)) checkVolumeName(source);
  return {
    type,
    source: type === 'bind' ? normalise(source) : source,
    target: normalise(target),
    readOnly: m.readOnly,
    origin: 'volume-flag',
    mode,
    propagation: type === 'bind' ? (m.propagation ?? 'rprivate') : '',
    consistency: m.consistency,
    volume: type === 'volume' ? { noCopy: m.noCopy, labels: {}, driverOptions: {} } : undefined,
    bind: type === 'bind' ? { recursive: 'enabled', createMountpoint: true } : undefined,
  };
}

function anonymous(target: string): MountRequest {
  return {
    type: 'volume',
    source: '',
    target: normalise(target),
    readOnly: false,
    origin: 'volume-flag',
    mode: '',
    propagation: '',
    volume: { noCopy: false, labels: {}, driverOptions: {} },
  };
}

/** Cleans a path lexically ("/a//b/../c/" -> "/a/c"), as Go's filepath.Clean. */
export function normalise(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}
