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

export function parseVolumeFlag(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.some((p) => p === '') && spec !== '') {
    throw new OptionError(`invalid spec: ${spec}: empty section between colons`, { spec });
  }
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
  if (type === 'volume') checkVolumeName(source);
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
