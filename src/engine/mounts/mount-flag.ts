/**
 * `--mount type=…,source=…,target=…` parsed as docker/cli's opts.MountOpt
 * does: a CSV line of key=value fields with aliases, errors reported as flag
 * errors (`invalid argument "…" for "--mount" flag: …`, status 125). What
 * only the daemon checks (unknown type, a missing source path) is left to
 * `checkMountRequest`.
 */
import { invalidMountConfig, mountFlagInvalid, mountPathNotAbsolute } from '../errors.js';
import { ramInBytesOrNull } from '../units.js';
import { checkVolumeName, normalise } from './volume-flag.js';
import type { MountRequest, MountType } from './types.js';

/** Splits one CSV record (Go encoding/csv rules: quotes may wrap a field, "" is a quote inside). */
export function splitCsv(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) break;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      while (i < text.length && text[i] !== ',') field += text[i++];
    } else {
      while (i < text.length && text[i] !== ',') field += text[i++];
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseMountFlag(spec: string): MountRequest & { rawType: string } {
  const bad = (reason: string) => mountFlagInvalid(spec, reason);
  const parseBool = (key: string, v: string): boolean => {
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw bad(`invalid value for ${key}: ${v}`);
  };
  let rawType = 'volume';
  let source = '';
  let target = '';
  let readOnly = false;
  let consistency: string | undefined;
  let propagation: string | undefined;
  let recursive: string | undefined;
  let noCopy: boolean | undefined;
  let subpath: string | undefined;
  let driver: string | undefined;
  const labels: Record<string, string> = {};
  const driverOptions: Record<string, string> = {};
  let usedVolume = false;
  let usedBind = false;
  let usedTmpfs = false;
  let sizeBytes: number | undefined;
  let tmpfsMode: number | undefined;

  for (const field of splitCsv(spec)) {
    const eq = field.indexOf('=');
    const key = (eq === -1 ? field : field.slice(0, eq)).trim().toLowerCase();
    if (eq === -1) {
      if (key === 'readonly' || key === 'ro') readOnly = true;
      else if (key === 'volume-nocopy') {
        noCopy = true;
        usedVolume = true;
      } else if (key === 'bind-nonrecursive') {
        recursive = 'disabled';
        usedBind = true;
      } else throw bad(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    const value = field.slice(eq + 1);
    switch (key) {
      case 'type':
        rawType = value;
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro':
        readOnly = parseBool(key, value);
        break;
      case 'consistency':
        consistency = value;
        break;
      case 'bind-propagation':
        propagation = value;
        usedBind = true;
        break;
      case 'bind-nonrecursive':
        recursive = parseBool(key, value) ? 'disabled' : 'enabled';
        usedBind = true;
        break;
      case 'bind-recursive':
        if (!['enabled', 'disabled', 'writable', 'readonly'].includes(value)) throw bad(`invalid value for ${key}: ${value}`);
        recursive = value;
        usedBind = true;
        break;
      case 'volume-nocopy':
        noCopy = parseBool(key, value);
        usedVolume = true;
        break;
      case 'volume-subpath':
        subpath = value;
        usedVolume = true;
        break;
      case 'volume-driver':
        driver = value;
        usedVolume = true;
        break;
      case 'volume-label':
      case 'volume-opt': {
        const e2 = value.indexOf('=');
        const k = e2 === -1 ? value : value.slice(0, e2);
        const v = e2 === -1 ? '' : value.slice(e2 + 1);
        (key === 'volume-label' ? labels : driverOptions)[k] = v;
        usedVolume = true;
        break;
      }
      case 'tmpfs-size': {
        const n = ramInBytesOrNull(value);
        if (n === null) throw bad(`invalid value for ${key}: ${value}`);
        sizeBytes = n;
        usedTmpfs = true;
        break;
      }
      case 'tmpfs-mode': {
        if (!/^[0-7]+$/.test(value)) throw bad(`invalid value for ${key}: ${value}`);
        tmpfsMode = Number.parseInt(value, 8);
        usedTmpfs = true;
        break;
      }
      default:
        throw bad(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (target === '') throw bad('target is required');
  if (usedVolume && rawType !== 'volume') throw bad(`cannot mix 'volume-*' options with mount type '${rawType}'`);
  if (usedBind && rawType !== 'bind') throw bad(`cannot mix 'bind-*' options with mount type '${rawType}'`);
  if (usedTmpfs && rawType !== 'tmpfs') throw bad(`cannot mix 'tmpfs-*' options with mount type '${rawType}'`);

  const type = (['bind', 'volume', 'tmpfs'].includes(rawType) ? rawType : 'volume') as MountType;
  return {
    rawType,
    type,
    source,
    target,
    readOnly,
    origin: 'mount-flag',
    mode: '',
    propagation: type === 'bind' ? (propagation ?? 'rprivate') : '',
    consistency,
    volume: type === 'volume' ? { noCopy: noCopy ?? false, labels, driver, driverOptions, subpath } : undefined,
    bind: type === 'bind' ? { recursive: recursive ?? 'enabled', createMountpoint: false } : undefined,
    tmpfs: type === 'tmpfs' ? { sizeBytes, mode: tmpfsMode } : undefined,
  };
}

/**
 * The daemon's checks of a --mount request that need no state: the type,
 * the presence and form of source and target. (Whether a bind source exists
 * is checked where the host filesystem is looked at.)
 */
export function checkMountRequest(m: MountRequest & { rawType: string }): MountRequest {
  if (!['bind', 'volume', 'tmpfs'].includes(m.rawType)) throw invalidMountConfig(m.rawType, 'mount type unknown');
  if (!m.target.startsWith('/')) throw invalidMountConfig(m.type, mountPathNotAbsolute(m.target));
  if (m.type === 'bind') {
    if (m.source === '') throw invalidMountConfig('bind', 'field Source must not be empty');
    if (!m.source.startsWith('/')) throw invalidMountConfig('bind', mountPathNotAbsolute(m.source));
  }
  if (m.type === 'tmpfs' && m.source !== '') throw invalidMountConfig('tmpfs', 'field Source must not be specified');
  if (m.type === 'volume' && m.source !== '') checkVolumeName(m.source);
  const { rawType: _rawType, ...rest } = m;
  return {
    ...rest,
    target: normalise(m.target),
    source: m.type === 'bind' ? normalise(m.source) : m.source,
  };
}
