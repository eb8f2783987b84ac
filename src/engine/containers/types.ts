/**
 * A container's records, in the shapes the Docker Engine (20.10) writes to
 * `<root>/containers/<id>/config.v2.json` and `hostconfig.json`. Field names
 * and order follow moby's `container.Container`, `container.Config` and
 * `container.HostConfig`, so that a learner who opens the files finds what
 * Docker's would hold, and `inspect` can be assembled from them directly.
 *
 * mydock keeps what only it needs (the shim that runs a detached container,
 * the cached size of the writable layer) in one extra `Mydock` object, so
 * everything else stays byte-comparable with Docker's records.
 */

/** `container.Config`: what the container was asked to run. */
import type { MountRequest } from '../mounts/types.js';

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, Record<string, never>> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild: string[] | null;
  Labels: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

/** `--mount` as Docker stores it in HostConfig.Mounts (mount.Mount). */
export interface HostMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: Record<string, unknown>;
  VolumeOptions?: Record<string, unknown>;
  TmpfsOptions?: Record<string, unknown>;
}

export type PortBindings = Record<string, { HostIp: string; HostPort: string }[]>;

/** `container.HostConfig`: how the host runs it. Only the fields mydock reads are typed precisely. */
export interface HostConfig {
  Binds: string[] | null;
  ContainerIDFile: string;
  LogConfig: { Type: string; Config: Record<string, string> };
  NetworkMode: string;
  PortBindings: PortBindings;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  VolumeDriver: string;
  VolumesFrom: string[] | null;
  Init?: boolean;
  ReadonlyRootfs: boolean;
  Tmpfs?: Record<string, string>;
  Mounts?: HostMount[];
  [field: string]: unknown;
}

export interface ContainerState {
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  RemovalInProgress: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health: null;
}

/** One entry of `MountPoints` (volume.MountPoint), keyed by destination. */
export interface MountPoint {
  Source: string;
  Destination: string;
  RW: boolean;
  Name: string;
  Driver: string;
  Type: 'bind' | 'volume' | 'tmpfs';
  Relabel: string;
  Propagation: string;
  Spec: Record<string, unknown>;
  SkipMountpointCreation: boolean;
}

/** What mydock alone keeps about a container. */
export interface MydockState {
  /** The process that runs the main program: the shim (detached) or the CLI (attached); 0 when none. */
  ProcessPid: number;
  /** The host's start-time token of that process, so a recycled pid is never taken for it. */
  ProcessStart: string;
  /** SizeRw, recomputed when a process in the container ends; null when unknown. */
  SizeRw: number | null;
  /** Every anonymous volume the container created (removed by `rm -v`). */
  AnonymousVolumes: string[];
  /** The mounts as parsed from -v/--mount/--tmpfs/--volumes-from, for the volume service. */
  RequestedMounts: RequestedMount[];
  /** Processes started by exec that still run: pid -> argv, for `top`. */
  Execs: Record<string, ExecEntry>;
}

export interface ExecEntry {
  argv: string[];
  startedAt: string;
  user: string;
}

/** A mount as the CLI's parsers describe it (src/engine/mounts); the volume service turns it into container mounts. */
export type RequestedMount = MountRequest;

/** config.v2.json */
export interface ContainerRecord {
  StreamConfig: Record<string, never>;
  State: ContainerState;
  ID: string;
  Created: string;
  Managed: boolean;
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  Image: string;
  NetworkSettings: Record<string, unknown>;
  LogPath: string;
  Name: string;
  Driver: string;
  OS: string;
  MountLabel: string;
  ProcessLabel: string;
  RestartCount: number;
  HasBeenStartedBefore: boolean;
  HasBeenManuallyStopped: boolean;
  MountPoints: Record<string, MountPoint>;
  SecretReferences: null;
  ConfigReferences: null;
  AppArmorProfile: string;
  HostnamePath: string;
  HostsPath: string;
  ShmPath: string;
  ResolvConfPath: string;
  SeccompProfile: string;
  NoNewPrivileges: boolean;
  LocalLogCacheMeta: { HaveNotifyEnabled: boolean };
  Mydock: MydockState;
}

/** A record together with its host config: what every operation reads. */
export interface Container {
  record: ContainerRecord;
  host: HostConfig;
}

/**
 * What listings read of a record: `ps` rows and filters, `system df` and
 * `info`, lookups by name. The container list snapshot keeps this much of
 * each record (see list-snapshot.ts), as the daemon keeps a view of its
 * containers in memory; everything else is read from the record itself.
 */
export interface ListedRecord {
  ID: string;
  Name: string;
  Created: string;
  Image: string;
  Path: string;
  Args: string[];
  State: Pick<ContainerState, 'Running' | 'Paused' | 'Restarting' | 'RemovalInProgress' | 'Dead' | 'ExitCode' | 'StartedAt' | 'FinishedAt'>;
  Config: Pick<ContainerConfig, 'Image' | 'Labels' | 'ExposedPorts'>;
  /** Only the names of the networks: their endpoint settings are not listed. */
  NetworkSettings: { Networks?: Record<string, unknown> };
  MountPoints: Record<string, MountPoint>;
  Mydock: Pick<MydockState, 'ProcessPid' | 'ProcessStart' | 'SizeRw'>;
}

/** A listed record with its host config, read from hostconfig.json when used (a running container's ports). */
export interface ListedContainer {
  record: ListedRecord;
  host: HostConfig;
}

/** The Go zero time, as Docker writes times that never happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
