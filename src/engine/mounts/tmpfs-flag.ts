/** `--tmpfs /path[:opts]`: recorded in HostConfig.Tmpfs as Docker does ({"/path": "opts"}). */
import { DaemonError, mountPathNotAbsolute } from '../errors.js';
import { ramInBytesOrNull } from '../units.js';
import { normalise } from './volume-flag.js';
import type { MountRequest } from './types.js';

export function parseTmpfsFlag(spec: string): { target: string; options: string; request: MountRequest } {
  const colon = spec.indexOf(':');
  const target = colon === -1 ? spec : spec.slice(0, colon);
  const options = colon === -1 ? '' : spec.slice(colon + 1);
  if (!target.startsWith('/')) throw new DaemonError(mountPathNotAbsolute(target), 'INVALID_MOUNT_PATH', { target });
  let sizeBytes: number | undefined;
  let mode: number | undefined;
  let readOnly = false;
  for (const opt of options.split(',').filter(Boolean)) {
    const [k, v = ''] = opt.split('=', 2) as [string, string?];
    if (k === 'size') sizeBytes = ramInBytesOrNull(v) ?? undefined;
    else if (k === 'mode' && /^[0-7]+$/.test(v)) mode = Number.parseInt(v, 8);
    else if (k === 'ro') readOnly = true;
  }
  return {
    target: normalise(target),
    options,
    request: { type: 'tmpfs', source: '', target: normalise(target), readOnly, origin: 'tmpfs-flag', mode: '', propagation: '', tmpfs: { sizeBytes, mode } },
  };
}
