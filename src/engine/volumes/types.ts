/**
 * A volume as Docker reports it (`volume inspect`), plus what mydock keeps
 * to reproduce Docker's rules: whether it is anonymous (removed by `rm -v`
 * and `run --rm`, pruned by default). Labels are `null` when none were
 * given, by `volume create` or a mount alike.
 */
export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Scope: 'local';
  /** RFC 3339, seconds, as Docker writes it. */
  CreatedAt: string;
  Anonymous: boolean;
}

/** What `volume inspect` prints (Docker's field order). */
export interface VolumeInspect {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: string;
}

/** How the local driver stores a volume's files. */
export type VolumeStorage =
  | { kind: 'directory'; path: string }
  | { kind: 'tmpfs'; sizeBytes: number | null }
  | { kind: 'bind'; device: string };
