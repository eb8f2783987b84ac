/**
 * `docker info`'s server part: the daemon's `system.Info` (GET /info, API
 * 1.41), keys in the order Docker's JSON has them, so that `--format
 * '{{json .}}'` and `{{.Driver}}` read as they do with Docker.
 *
 * What mydock is, it says: ServerVersion is mydock's version, Driver the
 * root's storage driver, DockerRootDir the root. What only the host knows
 * (kernel, OS, CPUs, memory, backing filesystem, cgroup version, host name)
 * is read from the host as the daemon reads it. Features mydock emulates
 * without the kernel (cgroup limits, seccomp) are reported as Docker's
 * defaults on a cgroup host, so the layout matches; plugin lists are
 * Docker's, because mydock accepts the same option values.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_FILE } from '../../state/root.js';
import type { Engine } from '../engine.js';
import { mydockVersion } from './build-info.js';
import { backingFilesystem, cgroupVersion, cpuCount, kernelVersion, machine, memTotal, openFds, osRelease } from './host.js';

export interface CommitInfo {
  ID: string;
  Expected?: string;
}

export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  /** [name, value] pairs; null for a driver with no status (vfs). */
  DriverStatus: [string, string][] | null;
  Plugins: { Volume: string[]; Network: string[]; Authorization: string[] | null; Log: string[] };
  MemoryLimit: boolean;
  SwapLimit: boolean;
  KernelMemory: boolean;
  KernelMemoryTCP: boolean;
  CpuCfsPeriod: boolean;
  CpuCfsQuota: boolean;
  CPUShares: boolean;
  CPUSet: boolean;
  PidsLimit: boolean;
  IPv4Forwarding: boolean;
  Debug: boolean;
  NFd: number;
  OomKillDisable: boolean;
  NGoroutines: number;
  SystemTime: string;
  LoggingDriver: string;
  CgroupDriver: string;
  CgroupVersion: string;
  NEventsListener: number;
  KernelVersion: string;
  OperatingSystem: string;
  OSVersion: string;
  OSType: string;
  Architecture: string;
  IndexServerAddress: string;
  RegistryConfig: {
    IndexConfigs: Record<string, { Mirrors: string[]; Name: string; Official: boolean; Secure: boolean }>;
    InsecureRegistryCIDRs: string[];
    Mirrors: string[];
  };
  NCPU: number;
  MemTotal: number;
  GenericResources: null;
  DockerRootDir: string;
  HttpProxy: string;
  HttpsProxy: string;
  NoProxy: string;
  Name: string;
  Labels: string[];
  ExperimentalBuild: boolean;
  ServerVersion: string;
  Runtimes: Record<string, { path: string }>;
  DefaultRuntime: string;
  Swarm: { NodeID: string; NodeAddr: string; LocalNodeState: string; ControlAvailable: boolean; Error: string; RemoteManagers: null };
  LiveRestoreEnabled: boolean;
  Isolation: string;
  InitBinary: string;
  ContainerdCommit: CommitInfo;
  RuncCommit: CommitInfo;
  InitCommit: CommitInfo;
  SecurityOptions: string[];
  CDISpecDirs: null;
  Warnings: string[] | null;
}

/**
 * The engine ID, shown as Docker's 20.10 daemon shows its key ID (twelve
 * groups of four base32 characters). Derived from the root's identity file,
 * so it is stable for a root and differs between roots, with nothing stored.
 */
export function engineId(rootPath: string): string {
  let seed = rootPath;
  try {
    seed += fs.readFileSync(path.join(rootPath, ROOT_FILE), 'utf8');
  } catch {
    // A root without its file (never the case once opened) still gets an ID from its path.
  }
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest.subarray(0, 30)) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join(':');
}

export async function systemInfo(engine: Engine, options: { now?: Date } = {}): Promise<SystemInfo> {
  const views = await engine.containers.list({ all: true });
  const running = views.filter((v) => v.record.State.Running && !v.record.State.Paused).length;
  const paused = views.filter((v) => v.record.State.Paused).length;
  const images = (await engine.imageStore()).db.ids().length;
  const driver = engine.root.driver;
  const release = osRelease();
  return {
    ID: engineId(engine.root.path),
    Containers: views.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: views.length - running - paused,
    Images: images,
    Driver: driver,
    DriverStatus:
      driver === 'overlay2'
        ? [
            ['Backing Filesystem', backingFilesystem(engine.root.path)],
            ['Supports d_type', 'true'],
            ['Native Overlay Diff', 'true'],
            ['userxattr', 'false'],
          ]
        : null,
    Plugins: {
      Volume: ['local'],
      Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'],
      Authorization: null,
      Log: ['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'logentries', 'splunk', 'syslog'],
    },
    MemoryLimit: true,
    SwapLimit: true,
    KernelMemory: true,
    KernelMemoryTCP: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    Debug: false,
    NFd: openFds(),
    OomKillDisable: true,
    // mydock runs one thread of JavaScript where the daemon runs goroutines.
    NGoroutines: 1,
    SystemTime: (options.now ?? new Date()).toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: cgroupVersion(),
    NEventsListener: 0,
    KernelVersion: kernelVersion(),
    OperatingSystem: release.prettyName,
    OSVersion: release.versionId,
    OSType: os.type() === 'Windows_NT' ? 'windows' : os.type().toLowerCase(),
    Architecture: machine(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      IndexConfigs: { 'docker.io': { Mirrors: [], Name: 'docker.io', Official: true, Secure: true } },
      InsecureRegistryCIDRs: ['127.0.0.0/8'],
      Mirrors: [],
    },
    NCPU: cpuCount(),
    MemTotal: memTotal(),
    GenericResources: null,
    DockerRootDir: engine.root.path,
    HttpProxy: process.env.HTTP_PROXY ?? process.env.http_proxy ?? '',
    HttpsProxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? '',
    NoProxy: process.env.NO_PROXY ?? process.env.no_proxy ?? '',
    Name: os.hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: mydockVersion(),
    Runtimes: { runc: { path: 'runc' } },
    DefaultRuntime: 'runc',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: 'docker-init',
    // mydock has no containerd, runc or tini: their versions are empty.
    ContainerdCommit: { ID: '' },
    RuncCommit: { ID: '' },
    InitCommit: { ID: '' },
    SecurityOptions: [],
    CDISpecDirs: null,
    Warnings: null,
  };
}
