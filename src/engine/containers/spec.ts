/**
 * From what the user asked (`run`/`create` flags) and the image's
 * configuration to the container's records, combining them as the Docker
 * daemon does (daemon.merge and the create path):
 * - Env: the user's entries first, then the image's whose name the user did not set.
 * - Cmd: the image's, unless the user gave a command or an entrypoint.
 * - Entrypoint: the user's (`--entrypoint ""` clears it), else the image's.
 * - WorkingDir, User, StopSignal: the user's, else the image's.
 * - Labels, Volumes, ExposedPorts: the image's, overridden by the user's.
 * - Hostname: the first 12 hex digits of the ID unless given.
 */
import { noCommandSpecified } from '../errors.js';
import type { ImageInfo } from './ports.js';
import {
  ZERO_TIME,
  type ContainerConfig,
  type ContainerRecord,
  type ContainerState,
  type HostConfig,
  type HostMount,
  type PortBindings,
  type RequestedMount,
  type RestartPolicy,
} from './types.js';

export interface CreateOptions {
  /** The image as the user typed it (kept in Config.Image; `ps` shows it). */
  image: string;
  /** Words after the image. */
  cmd: string[];
  name?: string;
  /** `--entrypoint`: undefined when not given, "" to clear the image's. */
  entrypoint?: string;
  env?: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  labels?: Record<string, string>;
  tty?: boolean;
  /** `-i` */
  openStdin?: boolean;
  /** `-d` (run): nothing attached. `create` attaches stdout and stderr, as Docker records. */
  detach?: boolean;
  autoRemove?: boolean;
  readOnly?: boolean;
  init?: boolean;
  restart?: RestartPolicy;
  /** `-p`, as docker/cli's nat.ParsePortSpecs returns them. */
  portBindings?: PortBindings;
  exposedPorts?: string[];
  network?: string;
  /** Raw `-v` specs (HostConfig.Binds), `--mount`s (HostConfig.Mounts), `--tmpfs`, `--volumes-from`. */
  binds?: string[];
  /** `-v /path` specs as written: Config.Volumes entries, not Binds. */
  anonymousVolumes?: string[];
  hostMounts?: HostMount[];
  tmpfs?: Record<string, string>;
  volumesFrom?: string[];
  /** The same mounts, parsed, for the volume service. */
  mounts?: RequestedMount[];
  stopSignal?: string;
  stopTimeout?: number;
  /**
   * A build step's container (the classic builder's ContainerCreate): the
   * entrypoint comes as a list (`[""]` clears the image's), `image` ""
   * stands for FROM scratch, and the log driver is "none".
   */
  buildStep?: { entrypoint: string[] | null };
}

export function envName(entry: string): string {
  const eq = entry.indexOf('=');
  return eq === -1 ? entry : entry.slice(0, eq);
}

export function mergeEnv(user: readonly string[], image: readonly string[] | null | undefined): string[] {
  const names = new Set(user.map(envName));
  return [...user, ...(image ?? []).filter((e) => !names.has(envName(e)))];
}

/** Entrypoint and Cmd as stored, and the argv the runtime starts (Path + Args). */
export function commandOf(options: CreateOptions, image: ImageInfo): { entrypoint: string[] | null; cmd: string[] | null; argv: string[] } {
  let entrypoint: string[] | null;
  let cmd: string[] | null = options.cmd.length > 0 ? [...options.cmd] : null;
  if (options.buildStep && (options.buildStep.entrypoint ?? []).length > 0) {
    const ep = options.buildStep.entrypoint!;
    // The builder's [""] (RUN) is a cleared entrypoint; ContainerCreate stores it as null.
    entrypoint = ep.length === 1 && ep[0] === '' ? null : [...ep];
  } else if (options.entrypoint !== undefined) {
    entrypoint = [options.entrypoint];
  } else {
    entrypoint = image.config.Entrypoint && image.config.Entrypoint.length > 0 ? [...image.config.Entrypoint] : null;
    if (cmd === null && image.config.Cmd && image.config.Cmd.length > 0) cmd = [...image.config.Cmd];
  }
  const argv = [...(entrypoint ?? []).filter((w, i, all) => !(all.length === 1 && w === '')), ...(cmd ?? [])];
  if (argv.length === 0) throw noCommandSpecified();
  return { entrypoint, cmd, argv };
}

function exposedPorts(options: CreateOptions, image: ImageInfo): ContainerConfig['ExposedPorts'] {
  const ports: Record<string, Record<string, never>> = { ...(image.config.ExposedPorts ?? {}) };
  for (const p of options.exposedPorts ?? []) ports[p.includes('/') ? p : `${p}/tcp`] = {};
  for (const p of Object.keys(options.portBindings ?? {})) ports[p] = {};
  return Object.keys(ports).length > 0 ? ports : undefined;
}

export function buildConfig(id: string, options: CreateOptions, image: ImageInfo): { config: ContainerConfig; argv: string[] } {
  const { entrypoint, cmd, argv } = commandOf(options, image);
  const attached = !options.detach;
  const labels = { ...(image.config.Labels ?? {}), ...(options.labels ?? {}) };
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of options.anonymousVolumes ?? []) volumes[spec] = {};
  Object.assign(volumes, image.config.Volumes ?? {});
  const env = mergeEnv(options.env ?? [], image.config.Env);
  const config: ContainerConfig = {
    Hostname: options.hostname ?? id.slice(0, 12),
    Domainname: '',
    User: options.user ?? image.config.User ?? '',
    AttachStdin: attached && options.openStdin === true,
    AttachStdout: attached,
    AttachStderr: attached,
    ExposedPorts: exposedPorts(options, image),
    Tty: options.tty === true,
    OpenStdin: options.openStdin === true,
    StdinOnce: attached && options.openStdin === true,
    Env: env.length > 0 ? env : null,
    Cmd: cmd,
    Image: options.image,
    Volumes: Object.keys(volumes).length > 0 ? volumes : null,
    WorkingDir: options.workdir ?? image.config.WorkingDir ?? '',
    Entrypoint: entrypoint,
    // The reference engine runs without a bridge, which Docker records this way; mydock has no network either.
    NetworkDisabled: true,
    OnBuild: image.config.OnBuild && image.config.OnBuild.length > 0 ? [...image.config.OnBuild] : null,
    Labels: Object.keys(labels).length > 0 ? labels : {},
    StopSignal: options.stopSignal ?? image.config.StopSignal,
    StopTimeout: options.stopTimeout,
  };
  if (config.ExposedPorts === undefined) delete config.ExposedPorts;
  if (config.StopSignal === undefined || config.StopSignal === '') delete config.StopSignal;
  if (config.StopTimeout === undefined) delete config.StopTimeout;
  return { config, argv };
}

/** HostConfig as Engine 20.10 writes it for a container created with the CLI's defaults. */
export function buildHostConfig(options: CreateOptions): HostConfig {
  const host: HostConfig = {
    Binds: options.binds && options.binds.length > 0 ? [...options.binds] : null,
    ContainerIDFile: '',
    // The builder overrides the daemon's default log driver for its containers.
    LogConfig: { Type: options.buildStep ? 'none' : 'json-file', Config: {} },
    NetworkMode: options.network ?? 'default',
    PortBindings: options.portBindings ?? {},
    RestartPolicy: options.restart ?? { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: options.autoRemove === true,
    VolumeDriver: '',
    VolumesFrom: options.volumesFrom && options.volumesFrom.length > 0 ? [...options.volumesFrom] : null,
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: 'host',
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: options.readOnly === true,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    ConsoleSize: [0, 0],
    Isolation: '',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    KernelMemory: 0,
    KernelMemoryTCP: 0,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: [],
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    MaskedPaths: [
      '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
      '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
    ],
    ReadonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
  // Fields Docker writes only when set, placed where moby's struct has them
  // (JSON prints in that order): Tmpfs after SecurityOpt, Mounts before MaskedPaths, Init last.
  const ordered: HostConfig = {} as HostConfig;
  for (const [k, v] of Object.entries(host)) {
    if (k === 'MaskedPaths' && options.hostMounts && options.hostMounts.length > 0) ordered.Mounts = options.hostMounts.map((m) => ({ ...m }));
    ordered[k] = v;
    if (k === 'SecurityOpt' && options.tmpfs && Object.keys(options.tmpfs).length > 0) ordered.Tmpfs = { ...options.tmpfs };
  }
  if (options.init) ordered.Init = true;
  return ordered;
}

export function initialState(): ContainerState {
  return {
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    RemovalInProgress: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
    Health: null,
  };
}

export interface RecordPaths {
  dir: string;
  logPath: string;
  driver: string;
}

export function buildRecord(
  id: string,
  name: string,
  created: string,
  options: CreateOptions,
  image: ImageInfo,
  paths: RecordPaths,
): { record: ContainerRecord; host: HostConfig } {
  const { config, argv } = buildConfig(id, options, image);
  const host = buildHostConfig(options);
  const record: ContainerRecord = {
    StreamConfig: {},
    State: initialState(),
    ID: id,
    Created: created,
    Managed: false,
    Path: argv[0]!,
    Args: argv.slice(1),
    Config: config,
    Image: image.id,
    NetworkSettings: networkSettings(),
    LogPath: paths.logPath,
    Name: `/${name}`,
    Driver: paths.driver,
    OS: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    RestartCount: 0,
    HasBeenStartedBefore: false,
    HasBeenManuallyStopped: false,
    MountPoints: {},
    SecretReferences: null,
    ConfigReferences: null,
    AppArmorProfile: '',
    HostnamePath: `${paths.dir}/hostname`,
    HostsPath: `${paths.dir}/hosts`,
    ShmPath: '',
    ResolvConfPath: `${paths.dir}/resolv.conf`,
    SeccompProfile: '',
    NoNewPrivileges: false,
    LocalLogCacheMeta: { HaveNotifyEnabled: false },
    Mydock: {
      ProcessPid: 0,
      ProcessStart: '',
      SizeRw: 0,
      AnonymousVolumes: [],
      RequestedMounts: options.mounts ? options.mounts.map((m) => ({ ...m })) : [],
      Execs: {},
    },
  };
  return { record, host };
}

/** NetworkSettings for a container without a network (what the reference engine, run without a bridge, records). */
export function networkSettings(): Record<string, unknown> {
  return {
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Networks: {
      bridge: {
        IPAMConfig: null,
        Links: null,
        Aliases: null,
        NetworkID: '',
        EndpointID: '',
        Gateway: '',
        IPAddress: '',
        IPPrefixLen: 0,
        IPv6Gateway: '',
        GlobalIPv6Address: '',
        GlobalIPv6PrefixLen: 0,
        MacAddress: '',
        DriverOpts: null,
      },
    },
    Service: null,
    Ports: null,
    SandboxKey: '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    IsAnonymousEndpoint: false,
    HasSwarmEndpoint: false,
  };
}

/** /etc/hosts as Docker writes it for a container without a network. */
export function hostsFile(): string {
  return [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    '',
  ].join('\n');
}

export const RESOLV_CONF = 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n';
