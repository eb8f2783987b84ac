/** Which containers use a volume, read from the container records' MountPoints. */
import { ContainerStore } from '../containers/store.js';
import type { RootLayout } from '../../state/root.js';
import type { VolumeUsers } from './service.js';

export function containerVolumeUsers(root: RootLayout): VolumeUsers {
  const store = new ContainerStore(root);
  const using = (name: string, runningOnly: boolean) =>
    store
      .all()
      .filter((c) => (!runningOnly || c.record.State.Running) && Object.values(c.record.MountPoints ?? {}).some((m) => m.Type === 'volume' && m.Name === name))
      .map((c) => c.record.ID);
  return {
    usersOf: (name) => using(name, false),
    runningUsersOf: (name) => using(name, true),
  };
}
