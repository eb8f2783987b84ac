/**
 * The root directory and its layout, mirroring /var/lib/docker so that what a
 * learner reads about Docker holds here:
 *
 *   <root>/mydock-root.json                      schema version, storage driver
 *   <root>/image/<driver>/imagedb/content/sha256/<image-id>
 *   <root>/image/<driver>/imagedb/metadata/sha256/<image-id>/{parent,lastUpdated}
 *   <root>/image/<driver>/layerdb/sha256/<chain-id>/{diff,size,cache-id,parent,tar-split.json.gz}
 *   <root>/image/<driver>/layerdb/mounts/<container-id>/{mount-id,init-id,parent}
 *   <root>/image/<driver>/repositories.json
 *   <root>/<driver>/<cache-id>/diff/             a layer's files
 *   <root>/containers/<id>/config.v2.json, hostconfig.json, <id>-json.log
 *   <root>/volumes/<name>/_data
 *   <root>/mydock/container-list.json            what listings read of every container record
 *                                                (a cache; engine/containers/list-snapshot.ts)
 *   <root>/mydock/verified-image-configs.json    image configs already verified, by file identity
 *                                                (a cache; engine/images/verified-configs.ts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { DRIVER_NAMES, type DriverName } from '../storage/driver.js';
import { writeJsonAtomic } from './atomic.js';
import { damagedFile, driverMismatch, foreignRoot, newerSchema, rootUnwritable, unknownDriver } from './errors.js';
import { readJsonFile } from './json-file.js';
import { LOCK_NAME, withRootLock } from './lock.js';

export const SCHEMA_VERSION = 1;
export const ROOT_FILE = 'mydock-root.json';

export interface RootInfo {
  schemaVersion: number;
  storageDriver: DriverName;
  createdAt: string;
}

export class RootLayout {
  constructor(
    readonly path: string,
    readonly driver: DriverName,
  ) {}

  get imageDir(): string {
    return path.join(this.path, 'image', this.driver);
  }
  get imageContentDir(): string {
    return path.join(this.imageDir, 'imagedb', 'content', 'sha256');
  }
  get imageMetadataDir(): string {
    return path.join(this.imageDir, 'imagedb', 'metadata', 'sha256');
  }
  get layerDbDir(): string {
    return path.join(this.imageDir, 'layerdb');
  }
  get repositoriesFile(): string {
    return path.join(this.imageDir, 'repositories.json');
  }
  get driverHome(): string {
    return path.join(this.path, this.driver);
  }
  get containersDir(): string {
    return path.join(this.path, 'containers');
  }
  containerDir(id: string): string {
    return path.join(this.containersDir, id);
  }
  /** Kept apart from containers/, whose entries are all container directories. */
  get containerListFile(): string {
    return path.join(this.path, 'mydock', 'container-list.json');
  }
  get volumesDir(): string {
    return path.join(this.path, 'volumes');
  }
  volumeDir(name: string): string {
    return path.join(this.volumesDir, name);
  }
  get tmpDir(): string {
    return path.join(this.path, 'tmp');
  }
  get buildCacheDir(): string {
    return path.join(this.path, 'buildcache');
  }
}

function isDriverName(name: string): name is DriverName {
  return (DRIVER_NAMES as readonly string[]).includes(name);
}

/**
 * Opens the root, creating it (with `storageDriver`, default overlay2) when it
 * does not exist or is empty. Refuses a non-empty directory that is not a
 * mydock root, a newer schema, and a driver other than the one it was made with.
 */
export async function openRoot(rootPath: string, storageDriver?: string): Promise<RootLayout> {
  if (storageDriver !== undefined && !isDriverName(storageDriver)) throw unknownDriver(storageDriver);
  const infoFile = path.join(rootPath, ROOT_FILE);
  let info = readJsonFile<RootInfo>(infoFile);
  if (!info) {
    try {
      fs.mkdirSync(rootPath, { recursive: true });
    } catch (err) {
      throw rootUnwritable(rootPath, (err as Error).message);
    }
    info = await withRootLock(rootPath, () => {
      const again = readJsonFile<RootInfo>(infoFile);
      if (again) return again;
      const entries = fs.readdirSync(rootPath).filter((n) => n !== LOCK_NAME);
      if (entries.length > 0) throw foreignRoot(rootPath);
      const created: RootInfo = {
        schemaVersion: SCHEMA_VERSION,
        storageDriver: (storageDriver as DriverName | undefined) ?? 'overlay2',
        createdAt: new Date().toISOString(),
      };
      writeJsonAtomic(infoFile, created);
      return created;
    });
  }
  if (typeof info.schemaVersion !== 'number' || !isDriverName(String(info.storageDriver))) {
    throw damagedFile(infoFile, 'missing schemaVersion or storageDriver');
  }
  if (info.schemaVersion > SCHEMA_VERSION) throw newerSchema(rootPath, info.schemaVersion, SCHEMA_VERSION);
  if (storageDriver !== undefined && storageDriver !== info.storageDriver) {
    throw driverMismatch(rootPath, info.storageDriver, storageDriver);
  }
  return new RootLayout(path.resolve(rootPath), info.storageDriver);
}
