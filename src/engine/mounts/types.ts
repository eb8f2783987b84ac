/**
 * A mount a container asks for, whichever flag it came from. `-v` and
 * `--mount` differ in how Docker records them (`HostConfig.Binds` vs
 * `HostConfig.Mounts`) and in a few rules (a missing bind source is created
 * for `-v`, an error for `--mount`), so the origin is kept.
 */
export type MountType = 'bind' | 'volume' | 'tmpfs';

export interface MountRequest {
  type: MountType;
  /** Host path (bind), volume name (volume; '' = anonymous), '' for tmpfs. */
  source: string;
  /** Absolute container path. */
  target: string;
  readOnly: boolean;
  origin: 'volume-flag' | 'mount-flag' | 'tmpfs-flag' | 'image-volume' | 'volumes-from';
  /** The `-v` mode field as written ("ro,z"), Docker shows it as Mode. */
  mode: string;
  /** Bind propagation ("rprivate" by default for binds). */
  propagation: string;
  consistency?: string;
  volume?: {
    noCopy: boolean;
    labels: Record<string, string>;
    driver?: string;
    driverOptions: Record<string, string>;
    subpath?: string;
  };
  bind?: { recursive: string; createMountpoint: boolean };
  tmpfs?: { sizeBytes?: number; mode?: number };
}
