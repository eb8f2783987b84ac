/**
 * Volume records: `<root>/volumes/<name>/_data` holds the files (the
 * Mountpoint Docker shows), `<root>/volumes/<name>/opts.json` the driver
 * options as Docker's local driver writes them, and `volume.json` the rest
 * of the record (Docker keeps that part in a bolt database).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeJsonAtomic } from '../../state/atomic.js';
import { rootWriteFailed } from '../../state/errors.js';
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
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => this.get(n))
      .filter((r): r is VolumeRecord => r !== null);
  }

  /**
   * A new volume's directory is built aside (`.volume.tmp-<pid>-<hex>`, which
   * listings skip and `system check` removes once stale) with its `_data`,
   * options and record, and renamed into place last: a failed write (a full
   * disk) or a crash never leaves a volume directory without its record. A
   * directory already there (files kept from before) gets its record in place.
   */
  save(record: VolumeRecord): void {
    const final = this.dir(record.Name);
    if (fs.existsSync(final)) {
      this.writeInto(final, record);
      return;
    }
    fs.mkdirSync(this.root.volumesDir, { recursive: true });
    const staged = path.join(this.root.volumesDir, `.volume.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      fs.mkdirSync(staged, { mode: 0o755 });
      this.writeInto(staged, record);
      fs.renameSync(staged, final);
    } catch (err) {
      fs.rmSync(staged, { recursive: true, force: true });
      throw rootWriteFailed(final, err) ?? err;
    }
    fsyncDir(this.root.volumesDir);
  }

  private writeInto(dir: string, record: VolumeRecord): void {
    fs.mkdirSync(path.join(dir, '_data'), { recursive: true, mode: 0o755 });
    if (record.Options && Object.keys(record.Options).length > 0) {
      writeJsonAtomic(path.join(dir, 'opts.json'), {
        MountType: record.Options.type ?? '',
        MountOpts: record.Options.o ?? '',
        MountDevice: record.Options.device ?? '',
      });
    }
    writeJsonAtomic(path.join(dir, RECORD), record);
  }

  /** Removes the record first, then the files: a crash leaves at worst files without a record, which `system check` reports. */
  delete(name: string): void {
    fs.rmSync(path.join(this.dir(name), RECORD), { force: true });
    fs.rmSync(this.dir(name), { recursive: true, force: true });
  }
}
