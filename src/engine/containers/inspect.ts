/**
 * `docker inspect` of a container: the daemon's ContainerJSON, assembled
 * from the records with Docker's field order (it is the order printed).
 * Go maps (labels, port maps, mount options) are marked as maps for the
 * template engine and get their keys sorted, as Go's JSON encoder sorts them.
 */
import type { GraphDriverData } from '../../storage/driver.js';
import { statusWord } from './state.js';
import type { Container, MountPoint } from './types.js';

/** The template engine's mark for Go maps (a global symbol, so the engine needs nothing from the CLI). */
const GO_MAP = Symbol.for('mydock.goMap');

export function asGoMap<T>(obj: Record<string, T> | null | undefined): Record<string, T> | null {
  if (obj === null || obj === undefined) return null;
  const sorted: Record<string, T> = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k]!;
  Object.defineProperty(sorted, GO_MAP, { value: true, enumerable: false });
  return sorted;
}

export interface InspectExtras {
  graphDriver: { Data: GraphDriverData; Name: string };
  /** With --size. */
  sizeRw?: number;
  sizeRootFs?: number;
}

/** `.Mounts`: one entry per mount point, sorted by destination. */
export function inspectMounts(mountPoints: Record<string, MountPoint>): Record<string, unknown>[] {
  return Object.values(mountPoints)
    .sort((a, b) => (a.Destination < b.Destination ? -1 : 1))
    .map((m) => {
      const base: Record<string, unknown> = { Type: m.Type };
      if (m.Type === 'volume') base.Name = m.Name;
      base.Source = m.Source;
      base.Destination = m.Destination;
      if (m.Type === 'volume') base.Driver = m.Driver;
      base.Mode = m.Relabel;
      base.RW = m.RW;
      base.Propagation = m.Propagation;
      return base;
    });
}

/** NetworkSettings.Ports of a running container: each exposed port, with its host bindings (both address families for an unset host IP). */
export function publishedPorts(c: Container): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const port of Object.keys(c.record.Config.ExposedPorts ?? {})) out[port] = null;
  for (const [port, bindings] of Object.entries(c.host.PortBindings ?? {})) {
    out[port] = bindings.flatMap((b) =>
      b.HostIp ? [{ HostIp: b.HostIp, HostPort: b.HostPort }] : [{ HostIp: '0.0.0.0', HostPort: b.HostPort }, { HostIp: '::', HostPort: b.HostPort }],
    );
  }
  return out;
}

export function inspectContainer(c: Container, extras: InspectExtras): Record<string, unknown> {
  const r = c.record;
  const s = r.State;
  const execIds = Object.keys(r.Mydock.Execs);
  const config = { ...r.Config, Labels: asGoMap(r.Config.Labels ?? {}), Volumes: asGoMap(r.Config.Volumes) };
  if (r.Config.ExposedPorts) (config as Record<string, unknown>).ExposedPorts = asGoMap(r.Config.ExposedPorts);
  // Fields Docker omits when empty still exist for templates (`{{json .HostConfig.Mounts}}` is null).
  const host: Record<string, unknown> = {
    ...c.host,
    LogConfig: { Type: c.host.LogConfig.Type, Config: asGoMap(c.host.LogConfig.Config) },
    PortBindings: asGoMap(c.host.PortBindings),
  };
  for (const k of ['Tmpfs', 'Mounts', 'Init']) if (!(k in host)) host[k] = undefined;
  const ns = r.NetworkSettings;
  const out: Record<string, unknown> = {
    Id: r.ID,
    Created: r.Created,
    Path: r.Path,
    Args: r.Args,
    State: {
      Status: statusWord(r),
      Running: s.Running,
      Paused: s.Paused,
      Restarting: s.Restarting,
      OOMKilled: s.OOMKilled,
      Dead: s.Dead,
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
    },
    Image: r.Image,
    ResolvConfPath: r.ResolvConfPath,
    HostnamePath: r.HostnamePath,
    HostsPath: r.HostsPath,
    LogPath: r.LogPath,
    Name: r.Name,
    RestartCount: r.RestartCount,
    Driver: r.Driver,
    Platform: r.OS,
    MountLabel: r.MountLabel,
    ProcessLabel: r.ProcessLabel,
    AppArmorProfile: r.AppArmorProfile,
    ExecIDs: execIds.length > 0 ? execIds : null,
    HostConfig: host,
    GraphDriver: extras.graphDriver,
    // Pointers in Docker's struct: absent (a nil `<nil>` for templates) unless --size.
    SizeRw: extras.sizeRw,
    SizeRootFs: extras.sizeRootFs,
    Mounts: inspectMounts(r.MountPoints),
    Config: config,
    NetworkSettings: {
      Bridge: ns.Bridge,
      SandboxID: ns.SandboxID,
      HairpinMode: ns.HairpinMode,
      LinkLocalIPv6Address: ns.LinkLocalIPv6Address,
      LinkLocalIPv6PrefixLen: ns.LinkLocalIPv6PrefixLen,
      Ports: asGoMap(s.Running ? publishedPorts(c) : {}),
      SandboxKey: ns.SandboxKey,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: '',
      Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: '',
      IPPrefixLen: 0,
      IPv6Gateway: '',
      MacAddress: '',
      Networks: asGoMap(ns.Networks as Record<string, unknown>),
    },
  };
  return out;
}
