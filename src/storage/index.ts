/** The storage layer's entry points. */
import type { DriverName, StorageDriver } from './driver.js';
import { Overlay2Driver, type DriverOptions } from './drivers/overlay2.js';
import { VfsDriver } from './drivers/vfs.js';

export type { DriverOptions } from './drivers/overlay2.js';

/** The driver `name` rooted at `<root>/<name>`. */
export function createDriver(name: DriverName, root: string, options: DriverOptions = {}): StorageDriver {
  switch (name) {
    case 'overlay2':
      return new Overlay2Driver(root, options);
    case 'vfs':
      return new VfsDriver(root, options);
  }
}
