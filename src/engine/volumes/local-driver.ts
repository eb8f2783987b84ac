/**
 * The local volume driver's options, checked as Docker's `local` driver
 * checks them: `type`, `device`, `o` (and `size` on some filesystems, not
 * here). `-o type=tmpfs -o o=size=64m` keeps the files in memory;
 * `-o type=none -o o=bind -o device=/path` uses a host directory.
 */
import { invalidVolumeOption } from '../errors.js';
import { ramInBytesOrNull } from '../units.js';
import type { VolumeStorage } from './types.js';

const KNOWN = new Set(['type', 'device', 'o']);

export function checkLocalOptions(name: string, options: Record<string, string>): void {
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw invalidVolumeOption(name, key);
}

/** Where a volume's files live, from its options. */
export function storageOf(dataDir: string, options: Record<string, string> | null): VolumeStorage {
  const type = options?.type;
  const o = (options?.o ?? '').split(',').filter(Boolean);
  if (type === 'tmpfs') {
    const size = o.find((x) => x.startsWith('size='));
    return { kind: 'tmpfs', sizeBytes: size ? ramInBytesOrNull(size.slice(5)) : null };
  }
  if (o.includes('bind') && options?.device) return { kind: 'bind', device: options.device };
  return { kind: 'directory', path: dataDir };
}
