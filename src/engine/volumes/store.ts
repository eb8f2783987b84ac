/**
 * Volume records: `<root>/volumes/<name>/_data` holds the files (the
 * Mountpoint Docker shows), `<root>/volumes/<name>/opts.json` the driver
 * options as Docker's local driver writes them, and `volume.json` the rest
 * of the record (Docker keeps that part in a bolt database).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../state/atomic.js';
import { readJsonFile } from '../../state/json-file.js';
import type { RootLayout } from '../../state/root.js';
import type { VolumeRecord } from './types.js';

const RECORD = 'volume.json';

export class VolumeStore {
  constructor(private readonly root: RootLayout) {}

  dir(name: string): string {
    return this.root.volumeDir(name);
  }

  dataDir(name: string): string {
    return path.join(this.dir(name), '_data');
  }

  get(name: string): VolumeRecord | null {
    return readJsonFile<VolumeRecord>(path.join(this.dir(name), RECORD));
  }

  list(): VolumeRecord[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.root.volumesDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .sort()
      .map((n) => this.get(n))
      .filter((r): r is VolumeRecord => r !== null);
  }

  /** Writes the files first and the record last: a record always has its directory. */
  save(record: VolumeRecord): void {
    fs.mkdirSync(this.dataDir(record.Name), { recursive: true, mode: 0o755 });
    if (record.Options && Object.keys(record.Options).length > 0) {
      writeJsonAtomic(path.join(this.dir(record.Name), 'opts.json'), {
        MountType: record.Options.type ?? '',
        MountOpts: record.Options.o ?? '',
        MountDevice: record.Options.device ?? '',
      });
    }
    writeJsonAtomic(path.join(this.dir(record.Name), RECORD), record);
  }

  /** Removes the record first, then the files: a crash leaves at worst files without a record, which `system check` reports. */
  delete(name: string): void {
    fs.rmSync(path.join(this.dir(name), RECORD), { force: true });
    fs.rmSync(this.dir(name), { recursive: true, force: true });
  }
}
