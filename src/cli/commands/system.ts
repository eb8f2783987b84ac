/**
 * `mydock system …`, `info`, `version` and the top-level `inspect`: glue
 * between the flags, the engine's system module (src/engine/system) and
 * Docker's output formats. The view classes below are docker/cli's
 * formatter contexts: one getter per `--format` field, shared by tables,
 * templates and JSON.
 */
import type { CommandDef, CommandGroup } from '../command.js';
import { flagBool, flagList, flagString } from '../flags.js';
import { bytesSize, FormatError, humanSize, humanSize4, parse, reclaimable, renderList, TemplateExecError, TemplateParseError, tabwrite, type RenderListOptions } from '../format/index.js';
import { VERSION } from '../program-name.js';
import { confirm, deleteRecordLine, pruneReport, writeInspect } from '../output.js';
import { forTemplates } from './image-config-view.js';
import { ContainerRow, PS_HEADERS } from './container.js';
import { ImageView, splitRepoTag } from './image.js';
import { VOLUME_HEADERS, VolumeView } from './volume.js';
import { ClientError, DaemonError, MydockError } from '../../engine/errors.js';
import type { ImageSummary } from '../../engine/images/types.js';
import type { ContainerUsage, DiskUsage, UsageSummary, VolumeUsage } from '../../engine/system/disk-usage.js';
import type { ServerVersion } from '../../engine/system/version.js';
import type { SystemInfo } from '../../engine/system/info.js';

const FORMAT_HELP =
  "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

const INSPECT_FORMAT_HELP =
  "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

/** How docker/cli prints one failure: daemon errors carry the daemon prefix. */
function errorText(err: MydockError): string {
  return err instanceof DaemonError ? `Error response from daemon: ${err.message}` : err.message;
}

// ---- shared text helpers (docker/cli's formatter package) ------------------------

/** Runs a template once on `data` (the verbose `system df --format`, `info`, `version`), with Docker's error text. */
function executeOnce(format: string, data: unknown): string {
  try {
    return parse(format).execute(data);
  } catch (err) {
    if (err instanceof TemplateParseError || err instanceof TemplateExecError) {
      throw new ClientError(`template parsing error: ${err.message}`, 'FORMAT');
    }
    throw err;
  }
}

// ---- system df -----------------------------------------------------------------------

/** A summary row (diskUsage*Context): SIZE and RECLAIMABLE use four significant digits. */
class DfSummaryView {
  constructor(private readonly s: UsageSummary) {}
  get Type(): string {
    return this.s.type;
  }
  get TotalCount(): string {
    return String(this.s.totalCount);
  }
  get Active(): string {
    return String(this.s.active);
  }
  get Size(): string {
    return humanSize4(this.s.size);
  }
  get Reclaimable(): string {
    return this.s.showPercent ? reclaimable(this.s.reclaimable, this.s.size) : humanSize4(this.s.reclaimable);
  }
}

const DF_SUMMARY_HEADERS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

/** An image row of `df -v`: docker/cli's imageContext as `images` shows it, with its first tag only and no digest. */
function dfImageView(i: ImageSummary, trunc: boolean, now: number): ImageView {
  const [repo, tag] = firstRepoTag(i.repoTags);
  return new ImageView(i, repo, tag, '', trunc, now);
}

/** The first of an image's tags as [repository, tag]; a dangling image (or a digest-only one) is <none> <none>. */
function firstRepoTag(repoTags: readonly string[]): [string, string] {
  const first = repoTags[0];
  if (first === undefined) return ['<none>', '<none>'];
  const [repo, tag] = splitRepoTag(first);
  return tag === '' ? ['<none>', '<none>'] : [repo, tag];
}

const DF_IMAGE_HEADERS = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  VirtualSize: 'SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

/** A container row of `df -v`: `ps`'s row (docker/cli's ContainerContext) with the virtual size zeroed, so SIZE is SizeRw alone. */
class DfContainerView extends ContainerRow {
  constructor(c: ContainerUsage, trunc: boolean, now: number) {
    super(c, trunc, now, true);
  }
  override get Size(): string {
    return humanSize(this.v.sizeRw ?? 0);
  }
}

/** `volume ls`'s view (volumeContext) with what only `system df -v` knows: LINKS and SIZE (four digits). */
class DfVolumeView extends VolumeView {
  constructor(
    private readonly u: VolumeUsage,
    mountpoint: string,
  ) {
    super(u.volume, mountpoint);
  }
  override get Links(): string {
    return String(this.u.refCount);
  }
  override get Size(): string {
    return humanSize4(this.u.size);
  }
}

/** The classic builder has no cache records; the header still prints. */
const DF_BUILD_CACHE_HEADERS = {
  ID: 'CACHE ID',
  CacheType: 'CACHE TYPE',
  Size: 'SIZE',
  CreatedSince: 'CREATED',
  LastUsedSince: 'LAST USED',
  UsageCount: 'USAGE',
  Shared: 'SHARED',
  Description: 'DESCRIPTION',
  Parent: 'PARENT',
  CreatedAt: 'CREATED AT',
  InUse: 'IN USE',
  LastUsedAt: 'LAST USED AT',
  Reclaimable: 'RECLAIMABLE',
};

const DF_SUMMARY_FORMAT = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const DF_IMAGE_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const DF_CONTAINER_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const DF_VOLUME_FORMAT = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';
const DF_BUILD_CACHE_FORMAT = 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';
/** NewDiskUsageFormat's raw layout (`--format raw`). */
const DF_RAW_FORMAT = 'type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\nreclaimable: {{.Reclaimable}}\n';

function listOrFormatError<Row>(options: RenderListOptions<Row>): string {
  try {
    return renderList(options);
  } catch (err) {
    if (err instanceof FormatError) throw new ClientError(err.message, 'FORMAT');
    throw err;
  }
}

function dfVerbose(du: DiskUsage, format: string, mountpoint: (name: string) => string): string {
  const now = Date.now();
  const trunc = format.startsWith('table');
  const views = {
    Images: du.images.map((i) => dfImageView(i, trunc, now)),
    Containers: du.containers.map((c) => new DfContainerView(c, trunc, now)),
    Volumes: du.volumes.map((v) => new DfVolumeView(v, mountpoint(v.volume.Name))),
    BuildCache: [] as object[],
  };
  if (format !== 'table') {
    // Any other format runs once over the whole usage, as docker/cli does.
    const text = format === 'json' ? '{{json .}}' : format.replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
    return executeOnce(text, views);
  }
  let out = 'Images space usage:\n\n';
  out += listOrFormatError({ defaultFormat: DF_IMAGE_FORMAT, rows: views.Images, headers: DF_IMAGE_HEADERS });
  out += '\nContainers space usage:\n\n';
  out += listOrFormatError({ defaultFormat: DF_CONTAINER_FORMAT, rows: views.Containers, headers: PS_HEADERS });
  out += '\nLocal Volumes space usage:\n\n';
  out += listOrFormatError({ defaultFormat: DF_VOLUME_FORMAT, rows: views.Volumes, headers: VOLUME_HEADERS });
  out += `\nBuild cache usage: ${humanSize4(du.buildCacheSize)}\n\n`;
  out += listOrFormatError({ defaultFormat: DF_BUILD_CACHE_FORMAT, rows: views.BuildCache, headers: DF_BUILD_CACHE_HEADERS });
  return out;
}

const df: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Show docker disk usage',
  args: { kind: 'none' },
  flags: [
    { name: 'format', kind: 'string', description: FORMAT_HELP },
    { name: 'verbose', short: 'v', kind: 'bool', description: 'Show detailed information on space usage' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { diskUsage, summarizeDiskUsage } = await import('../../engine/system/disk-usage.js');
    const du = await diskUsage(engine);
    const format = flagString(ctx.flags, 'format') || 'table';
    if (flagBool(ctx.flags, 'verbose')) {
      const volumes = await engine.volumes();
      ctx.io.out.write(dfVerbose(du, format, (name) => volumes.mountpoint(name)));
      return;
    }
    const rows = summarizeDiskUsage(du).map((s) => new DfSummaryView(s));
    ctx.io.out.write(
      listOrFormatError({ format: format === 'raw' ? DF_RAW_FORMAT : format, defaultFormat: DF_SUMMARY_FORMAT, rows, headers: DF_SUMMARY_HEADERS }),
    );
  },
};

// ---- inspect ---------------------------------------------------------------------------

const inspect: CommandDef = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  args: { kind: 'min', n: 1 },
  flags: [
    { name: 'format', short: 'f', kind: 'string', description: INSPECT_FORMAT_HELP },
    { name: 'size', short: 's', kind: 'bool', description: 'Display total file sizes if the type is container' },
    { name: 'type', kind: 'string', description: 'Only inspect objects of the given type' },
  ],
  async handler(ctx) {
    const { inspectObject, isInspectType, unknownInspectType } = await import('../../engine/system/inspect.js');
    const type = flagString(ctx.flags, 'type');
    // The CLI refuses an unknown type before asking anything.
    if (type !== undefined && type !== '' && !isInspectType(type)) throw unknownInspectType(type);
    const size = flagBool(ctx.flags, 'size');
    const engine = await ctx.engine();
    const records: unknown[] = [];
    const missing: string[] = [];
    for (const name of ctx.args) {
      try {
        const found = await inspectObject(engine, name, { type: type || undefined, size });
        if (size && found.kind !== 'container') ctx.io.err.write(`WARNING: --size ignored for ${found.kind}\n`);
        // Templates see an image's Config as CLI 28 decodes it (see image-config-view.ts).
        const format = flagString(ctx.flags, 'format');
        records.push(found.kind === 'image' && format && format !== 'json' ? forTemplates(found.record as { Config?: unknown }) : found.record);
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        missing.push(errorText(err));
      }
    }
    return writeInspect(ctx.io, flagString(ctx.flags, 'format'), records, missing);
  },
};

// ---- info and version ---------------------------------------------------------------------

/** The CLI's own part of `info` (docker/cli's clientInfo). */
interface ClientInfo {
  Debug: boolean;
  Version: string;
  DefaultAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  BuildTime: string;
  Context: string;
  Plugins: never[];
  Warnings: null;
}

async function clientFacts(): Promise<{ gitCommit: string; goVersion: string; os: string; arch: string; built: string; api: string }> {
  const sys = await import('../../engine/system/index.js');
  return {
    gitCommit: sys.mydockGitCommit(),
    goVersion: sys.runtimeVersion(),
    os: sys.goOs(),
    arch: sys.goArch(),
    built: sys.ansicTime(sys.buildTime()),
    api: sys.API_VERSION,
  };
}

/** `Go's fmt.Println(a, b)`: operands joined by one space. */
function line(...parts: Array<string | number | boolean>): string {
  return parts.map(String).join(' ') + '\n';
}

/** docker/cli's prettyPrintServerInfo, for the fields mydock fills. */
function serverInfoText(info: SystemInfo, clientDebug: boolean): string {
  let out = '';
  const nonEmpty = (label: string, value: string) => {
    if (value !== '') out += line(label, value);
  };
  out += line(' Containers:', info.Containers);
  out += line('  Running:', info.ContainersRunning);
  out += line('  Paused:', info.ContainersPaused);
  out += line('  Stopped:', info.ContainersStopped);
  out += line(' Images:', info.Images);
  nonEmpty(' Server Version:', info.ServerVersion);
  nonEmpty(' Storage Driver:', info.Driver);
  for (const [k, v] of info.DriverStatus ?? []) out += `  ${k}: ${v}\n`;
  nonEmpty(' Logging Driver:', info.LoggingDriver);
  nonEmpty(' Cgroup Driver:', info.CgroupDriver);
  nonEmpty(' Cgroup Version:', info.CgroupVersion);
  out += line(' Plugins:');
  out += line('  Volume:', info.Plugins.Volume.join(' '));
  out += line('  Network:', info.Plugins.Network.join(' '));
  if (info.Plugins.Authorization && info.Plugins.Authorization.length > 0) out += line('  Authorization:', info.Plugins.Authorization.join(' '));
  out += line('  Log:', info.Plugins.Log.join(' '));
  out += line(' Swarm:', info.Swarm.LocalNodeState);
  const runtimes = Object.keys(info.Runtimes).sort();
  if (runtimes.length > 0) {
    out += line(' Runtimes:', runtimes.join(' '));
    out += line(' Default Runtime:', info.DefaultRuntime);
  }
  if (info.OSType === 'linux') {
    out += line(' Init Binary:', info.InitBinary);
    for (const [name, commit] of [['containerd', info.ContainerdCommit], ['runc', info.RuncCommit], ['init', info.InitCommit]] as const) {
      out += ` ${name} version: ${commit.ID}\n`;
    }
    if (info.SecurityOptions.length > 0) {
      out += line(' Security Options:');
      for (const opt of info.SecurityOptions) {
        const kv = new Map(opt.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
        out += line('  ' + (kv.get('name') ?? opt));
        if (kv.has('profile')) out += line('   Profile:', kv.get('profile')!);
      }
    }
  }
  nonEmpty(' Kernel Version:', info.KernelVersion);
  nonEmpty(' Operating System:', info.OperatingSystem);
  nonEmpty(' OSType:', info.OSType);
  nonEmpty(' Architecture:', info.Architecture);
  out += line(' CPUs:', info.NCPU);
  out += line(' Total Memory:', bytesSize(info.MemTotal));
  nonEmpty(' Name:', info.Name);
  nonEmpty(' ID:', info.ID);
  out += line(' Docker Root Dir:', info.DockerRootDir);
  out += line(' Debug Mode:', info.Debug);
  if (info.Debug || clientDebug) {
    out += line('  File Descriptors:', info.NFd);
    out += line('  Goroutines:', info.NGoroutines);
    out += line('  System Time:', info.SystemTime);
    out += line('  EventsListeners:', info.NEventsListener);
  }
  nonEmpty(' HTTP Proxy:', info.HttpProxy);
  nonEmpty(' HTTPS Proxy:', info.HttpsProxy);
  nonEmpty(' No Proxy:', info.NoProxy);
  if (info.Labels.length > 0) {
    out += line(' Labels:');
    for (const l of info.Labels) out += line('  ' + l);
  }
  out += line(' Experimental:', info.ExperimentalBuild);
  const insecure = Object.values(info.RegistryConfig.IndexConfigs).filter((c) => !c.Secure);
  if (info.RegistryConfig.InsecureRegistryCIDRs.length > 0 || Object.keys(info.RegistryConfig.IndexConfigs).length > 0) {
    out += line(' Insecure Registries:');
    for (const c of insecure) out += line('  ' + c.Name);
    for (const cidr of info.RegistryConfig.InsecureRegistryCIDRs) out += `  ${cidr}\n`;
  }
  out += line(' Live Restore Enabled:', info.LiveRestoreEnabled);
  return out + '\n';
}

const SIMPLE_FORMAT_HELP =
  "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

/** A user's --format as docker/cli reads it: "json" is {{json .}}. */
function templateText(format: string): string {
  return format === 'json' ? '{{json .}}' : format;
}

const info: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  args: { kind: 'none' },
  flags: [{ name: 'format', short: 'f', kind: 'string', description: SIMPLE_FORMAT_HELP }],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { systemInfo } = await import('../../engine/system/info.js');
    const server = await systemInfo(engine);
    const facts = await clientFacts();
    const client: ClientInfo = {
      Debug: ctx.globals.debug,
      Version: VERSION,
      DefaultAPIVersion: facts.api,
      GitCommit: facts.gitCommit,
      GoVersion: facts.goVersion,
      Os: facts.os,
      Arch: facts.arch,
      BuildTime: facts.built,
      Context: 'default',
      Plugins: [],
      Warnings: null,
    };
    const format = flagString(ctx.flags, 'format');
    if (format) {
      // docker/cli embeds the server's Info and adds ClientInfo after it.
      ctx.io.out.write(executeOnce(templateText(format), { ...server, ClientInfo: client }) + '\n');
      return;
    }
    let out = 'Client:\n';
    out += line(' Version:   ', client.Version);
    out += line(' Context:   ', client.Context);
    out += line(' Debug Mode:', client.Debug);
    out += '\nServer:\n';
    out += serverInfoText(server, client.Debug);
    ctx.io.out.write(out);
    for (const w of server.Warnings ?? []) ctx.io.err.write(`${w}\n`);
  },
};

interface VersionData {
  Client: {
    Version: string;
    ApiVersion: string;
    DefaultAPIVersion: string;
    GitCommit: string;
    GoVersion: string;
    Os: string;
    Arch: string;
    BuildTime: string;
    Context: string;
  };
  Server: ServerVersion;
}

/** docker/cli's defaultVersionTemplate, laid out by its tab writer (minimum width 20, padding 1). */
function versionText(v: VersionData): string {
  const c = v.Client;
  let t = `Client:\n Version:\t${c.Version}\n API version:\t${c.ApiVersion}${c.ApiVersion !== c.DefaultAPIVersion ? ` (downgraded from ${c.DefaultAPIVersion})` : ''}\n`;
  t += ` Go version:\t${c.GoVersion}\n Git commit:\t${c.GitCommit}\n Built:\t${c.BuildTime}\n OS/Arch:\t${c.Os}/${c.Arch}\n Context:\t${c.Context}\n`;
  const s = v.Server;
  t += `\nServer:${s.Platform.Name ? ` ${s.Platform.Name}` : ''}\n`;
  for (const comp of s.Components) {
    t += ` ${comp.Name}:\n`;
    const d = comp.Details;
    if (comp.Name === 'Engine') {
      t += `  Version:\t${comp.Version}\n  API version:\t${d.ApiVersion} (minimum version ${d.MinAPIVersion})\n  Go version:\t${d.GoVersion}\n`;
      t += `  Git commit:\t${d.GitCommit}\n  Built:\t${d.BuildTime}\n  OS/Arch:\t${d.Os}/${d.Arch}\n  Experimental:\t${d.Experimental}\n`;
    } else {
      t += `  Version:\t${comp.Version}\n`;
      for (const key of Object.keys(d).sort()) t += `  ${key}:\t${d[key]}\n`;
    }
  }
  return tabwrite(t, { minWidth: 20, tabWidth: 1, padding: 1, padChar: ' ' });
}

const version: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Show the Docker version information',
  args: { kind: 'none' },
  flags: [{ name: 'format', short: 'f', kind: 'string', description: SIMPLE_FORMAT_HELP }],
  async handler(ctx) {
    const facts = await clientFacts();
    const engine = await ctx.engine();
    const { serverVersion } = await import('../../engine/system/version.js');
    const data: VersionData = {
      Client: {
        Version: VERSION,
        ApiVersion: facts.api,
        DefaultAPIVersion: facts.api,
        GitCommit: facts.gitCommit,
        GoVersion: facts.goVersion,
        Os: facts.os,
        Arch: facts.arch,
        BuildTime: facts.built,
        Context: 'default',
      },
      Server: serverVersion(engine),
    };
    const format = flagString(ctx.flags, 'format');
    ctx.io.out.write(format ? executeOnce(templateText(format), data) + '\n' : versionText(data));
  },
};

// ---- system check ---------------------------------------------------------------------------

const check: CommandDef = {
  usage: '[OPTIONS]',
  short: "Verify the root's records and layers (mydock)",
  args: { kind: 'none' },
  flags: [{ name: 'repair', kind: 'bool', description: 'Remove what is orphaned and rebuild what can be derived (never user data)' }],
  async handler(ctx) {
    // The root is opened by the check itself, not through the engine: a damaged root must still be checkable.
    const { checkRoot } = await import('../../engine/system/check/index.js');
    const report = await checkRoot(ctx.globals.root, { repair: flagBool(ctx.flags, 'repair') });
    let out = '';
    for (const f of report.findings) out += f.repaired === null ? `${f.message}\n` : `${f.message}\n  repaired: ${f.repaired}\n`;
    ctx.io.out.write(out);
    return report.remaining > 0 ? 1 : 0;
  },
};

// ---- system prune ------------------------------------------------------------------------------

/** docker/cli's confirmation text: what will go, then the filters that narrow it. */
function pruneWarning(all: boolean, volumes: boolean, filters: Record<string, string[]>): string {
  const items = ['all stopped containers', 'all networks not used by at least one container'];
  if (volumes) items.push('all anonymous volumes not used by at least one container');
  items.push(all ? 'all images without at least one container associated to them' : 'all dangling images');
  items.push(all ? 'all build cache' : 'unused build cache');
  let text = 'WARNING! This will remove:\n' + items.map((w) => `  - ${w}\n`).join('');
  const shown: string[] = [];
  for (const name of ['label', 'label!', 'until']) for (const v of filters[name] ?? []) shown.push(`${name}=${v}`);
  if (shown.length > 0) {
    shown.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    text += '\n  Items to be pruned will be filtered with:\n' + shown.map((f) => `  - ${f}\n`).join('');
  }
  return text;
}

const prune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove unused data',
  args: { kind: 'none' },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Remove all unused images not just dangling ones' },
    { name: 'filter', kind: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "label=<key>=<value>")' },
    { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
    { name: 'volumes', kind: 'bool', description: 'Prune anonymous volumes' },
  ],
  async handler(ctx) {
    const { parseFilterFlags, systemPrune, untilWithVolumes } = await import('../../engine/system/prune.js');
    const all = flagBool(ctx.flags, 'all');
    const volumes = flagBool(ctx.flags, 'volumes');
    const filters = parseFilterFlags(flagList(ctx.flags, 'filter'), '--filter');
    // The CLI refuses this combination before it asks anything.
    if (volumes && filters.until) throw untilWithVolumes();
    if (!flagBool(ctx.flags, 'force') && !(await confirm(ctx.io, pruneWarning(all, volumes, filters)))) return 0;
    const result = await systemPrune(await ctx.engine(), { all, volumes, filters });
    const sections = [
      ['Deleted Containers', result.containers],
      ['Deleted Volumes', result.volumes],
      ['Deleted Images', result.images.map(deleteRecordLine)],
      ['Deleted build cache objects', result.buildCache],
    ] as const;
    ctx.io.out.write(pruneReport(sections, result.spaceReclaimed));
  },
};

export const commands: CommandGroup = {
  'system prune': prune,
  'system check': check,
  'system df': df,
  'system info': info,
  version,
  inspect,
};
