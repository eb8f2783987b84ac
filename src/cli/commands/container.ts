/**
 * Container commands: run, create, start, stop, restart, kill, wait, pause,
 * unpause, rm, rename, prune, ls (ps), exec, logs, diff, inspect.
 * Glue only: flags become an engine call, results go to a formatter.
 */
import fs from 'node:fs';
import type { CommandContext, CommandDef, CommandGroup } from '../command.js';
import { flagBool, flagInt, flagList, flagString, type FlagSpec } from '../flags.js';
import { ClientError, DaemonError, MydockError, UsageError } from '../../engine/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { ContainerService, ContainerView, Stdio } from '../../engine/containers/service.js';
import type { CreateOptions } from '../../engine/containers/spec.js';
import type { PortBindings, RestartPolicy, HostMount, RequestedMount } from '../../engine/containers/types.js';
import { statusWord } from '../../engine/containers/state.js';
import { JsonLogOutput, type LogEntry } from '../../engine/containers/log-file.js';
import { matchFilters, parseFilters } from '../../engine/containers/filters.js';
import { createdAt, humanSize, renderInspect, renderList, tabwriteRows, TABLE_FORMAT_KEY } from '../format/index.js';
import type { Io } from '../io.js';
import { ellipsis, goQuote } from '../format/text.js';
import { confirm, pruneReport } from '../output.js';
import { port } from './container-port.js';
import { StatusTexts } from './container-status.js';

// ---- run / create options --------------------------------------------------

const CREATE_FLAGS: FlagSpec[] = [
  { name: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
  { name: 'env-file', kind: 'list', description: 'Read in a file of environment variables' },
  { name: 'entrypoint', kind: 'string', description: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'expose', kind: 'list', description: 'Expose a port or a range of ports' },
  { name: 'hostname', short: 'h', kind: 'string', description: 'Container host name' },
  { name: 'init', kind: 'bool', description: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open even if not attached' },
  { name: 'label', short: 'l', kind: 'list', description: 'Set meta data on a container' },
  { name: 'mount', kind: 'list', valueName: 'mount', description: 'Attach a filesystem mount to the container' },
  { name: 'name', kind: 'string', description: 'Assign a name to the container' },
  { name: 'network', kind: 'string', valueName: 'network', description: 'Connect a container to a network' },
  { name: 'net', kind: 'string', valueName: 'network', description: 'Connect a container to a network', hidden: true },
  { name: 'publish', short: 'p', kind: 'list', description: "Publish a container's port(s) to the host" },
  { name: 'pull', kind: 'string', description: 'Pull image before running ("always", "missing", "never")', defaultValue: 'missing' },
  { name: 'read-only', kind: 'bool', description: "Mount the container's root filesystem as read only" },
  { name: 'restart', kind: 'string', description: 'Restart policy to apply when a container exits', defaultValue: 'no' },
  { name: 'stop-signal', kind: 'string', description: 'Signal to stop the container' },
  { name: 'stop-timeout', kind: 'int', description: 'Timeout (in seconds) to stop a container' },
  { name: 'tmpfs', kind: 'list', description: 'Mount a tmpfs directory' },
  { name: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' },
  { name: 'user', short: 'u', kind: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'volume', short: 'v', kind: 'list', description: 'Bind mount a volume' },
  { name: 'volumes-from', kind: 'list', description: 'Mount volumes from the specified container(s)' },
  { name: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container' },
];

const RUN_FLAGS: FlagSpec[] = [
  ...CREATE_FLAGS,
  { name: 'detach', short: 'd', kind: 'bool', description: 'Run container in background and print container ID' },
  { name: 'rm', kind: 'bool', description: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'sig-proxy', kind: 'bool', description: 'Proxy received signals to the process', hidden: true },
];

function parseKeyValues(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq === -1) out[e] = '';
    else out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

/** `-e NAME` takes NAME from the CLI's environment (dropped when unset), as docker/cli does. */
function resolveEnv(entries: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.includes('=')) out.push(e);
    else if (env[e] !== undefined) out.push(`${e}=${env[e]}`);
  }
  return out;
}

function readEnvFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`open ${file}: no such file or directory`);
  }
  return text
    .split('\n')
    .map((l) => l.replace(/^\s+/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function parseRestart(text: string | undefined): RestartPolicy | undefined {
  if (text === undefined) return undefined;
  const [name, count] = text.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name ?? '')) {
    throw new UsageError(`invalid restart policy format: ${text}`);
  }
  return { Name: name as RestartPolicy['Name'], MaximumRetryCount: count ? Number(count) : 0 };
}

/** `-p [ip:][hostPort:]containerPort[/proto]`, stored as docker/cli's nat package stores it. */
function parsePublish(specs: readonly string[]): PortBindings {
  const out: PortBindings = {};
  for (const spec of specs) {
    const [rest, proto = 'tcp'] = spec.split('/');
    const parts = (rest ?? '').split(':');
    const containerPort = parts.pop() ?? '';
    const hostPort = parts.pop() ?? '';
    const hostIp = parts.join(':');
    const key = `${containerPort}/${proto}`;
    (out[key] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
  }
  return out;
}

/** The mount flags, parsed by the mounts module once it is there; recorded as given either way. */
async function parseMounts(ctx: CommandContext): Promise<{ binds: string[]; anonymous: string[]; hostMounts: HostMount[]; tmpfs: Record<string, string>; mounts: RequestedMount[] }> {
  const binds = flagList(ctx.flags, 'volume');
  const anonymous: string[] = [];
  const mountSpecs = flagList(ctx.flags, 'mount');
  const tmpfsSpecs = flagList(ctx.flags, 'tmpfs');
  const mounts: RequestedMount[] = [];
  const hostMounts: HostMount[] = [];
  const tmpfs: Record<string, string> = {};
  if (binds.length + mountSpecs.length + tmpfsSpecs.length === 0) return { binds, anonymous, hostMounts, tmpfs, mounts };
  const { parseVolumeFlag } = await import('../../engine/mounts/volume-flag.js');
  const { parseMountFlag, checkMountRequest } = await import('../../engine/mounts/mount-flag.js');
  const { parseTmpfsFlag } = await import('../../engine/mounts/tmpfs-flag.js');
  // docker/cli sends only `src:dst[:mode]` specs as HostConfig.Binds; an anonymous `-v /path` goes to
  // Config.Volumes under the spec as written (so a commit keeps it, as Docker's does).
  const sourced: string[] = [];
  for (const spec of binds) {
    const m = parseVolumeFlag(spec);
    mounts.push(m);
    if (m.source !== '') sourced.push(spec);
    else anonymous.push(spec);
  }
  for (const spec of mountSpecs) {
    const m = checkMountRequest(parseMountFlag(spec));
    mounts.push(m);
    // Field order of Docker's mount.Mount: Type, Source, Target, ReadOnly.
    const hm: HostMount = m.source !== '' ? { Type: m.type, Source: m.source, Target: m.target } : { Type: m.type, Target: m.target };
    if (m.readOnly) hm.ReadOnly = true;
    if (m.type === 'tmpfs' && (m.tmpfs?.sizeBytes !== undefined || m.tmpfs?.mode !== undefined)) {
      hm.TmpfsOptions = {
        ...(m.tmpfs.sizeBytes !== undefined ? { SizeBytes: m.tmpfs.sizeBytes } : {}),
        ...(m.tmpfs.mode !== undefined ? { Mode: m.tmpfs.mode } : {}),
      };
    }
    hostMounts.push(hm);
  }
  for (const spec of tmpfsSpecs) {
    const t = parseTmpfsFlag(spec);
    tmpfs[t.target] = t.options;
    mounts.push(t.request);
  }
  return { binds: sourced, anonymous, hostMounts, tmpfs, mounts };
}

async function createOptions(ctx: CommandContext, detach: boolean): Promise<CreateOptions> {
  const [image, ...cmd] = ctx.args;
  const envFiles = flagList(ctx.flags, 'env-file').flatMap(readEnvFile);
  const env = resolveEnv([...envFiles, ...flagList(ctx.flags, 'env')], process.env);
  const labels = parseKeyValues(flagList(ctx.flags, 'label'));
  const publish = parsePublish(flagList(ctx.flags, 'publish'));
  const mounts = await parseMounts(ctx);
  return {
    image: image!,
    cmd,
    name: flagString(ctx.flags, 'name'),
    entrypoint: flagString(ctx.flags, 'entrypoint'),
    env,
    workdir: flagString(ctx.flags, 'workdir'),
    user: flagString(ctx.flags, 'user'),
    hostname: flagString(ctx.flags, 'hostname'),
    labels,
    tty: flagBool(ctx.flags, 'tty'),
    openStdin: flagBool(ctx.flags, 'interactive'),
    detach,
    autoRemove: flagBool(ctx.flags, 'rm'),
    readOnly: flagBool(ctx.flags, 'read-only'),
    init: flagBool(ctx.flags, 'init'),
    restart: parseRestart(flagString(ctx.flags, 'restart')),
    portBindings: publish,
    exposedPorts: flagList(ctx.flags, 'expose'),
    network: flagString(ctx.flags, 'network') ?? flagString(ctx.flags, 'net'),
    binds: mounts.binds,
    anonymousVolumes: mounts.anonymous,
    hostMounts: mounts.hostMounts,
    tmpfs: mounts.tmpfs,
    volumesFrom: flagList(ctx.flags, 'volumes-from'),
    mounts: mounts.mounts,
    stopSignal: flagString(ctx.flags, 'stop-signal'),
    stopTimeout: flagInt(ctx.flags, 'stop-timeout'),
  };
}

/** docker/cli's createContainer: pull when the daemon says the image is missing (unless --pull never). */
async function createWithPull(ctx: CommandContext, engine: Engine, options: CreateOptions): Promise<string> {
  const policy = flagString(ctx.flags, 'pull') ?? 'missing';
  if (!['always', 'missing', 'never'].includes(policy)) {
    throw new UsageError(`invalid pull option: '${policy}': must be one of "always", "missing" or "never"`);
  }
  const svc = engine.containers;
  const ref = await svc.userReference(options.image);
  if (policy === 'always') await svc.pull(ref, (line) => ctx.io.err.write(line));
  try {
    return await svc.create(options);
  } catch (err) {
    if (!(err instanceof MydockError) || err.code !== 'NO_SUCH_IMAGE' || policy !== 'missing') throw err;
  }
  ctx.io.err.write(`Unable to find image '${ref}' locally\n`);
  await svc.pull(ref, (line) => ctx.io.err.write(line));
  return svc.create(options);
}

// ---- attached programs ------------------------------------------------------

const PROXIED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT', 'SIGWINCH'];

/** Streams of an attached program: the terminal (or pipes) of this CLI, and the container's log for the main process. */
async function attachedStdio(io: Io, options: { stdin: boolean; tty: boolean; logPath?: string }): Promise<{ stdio: Stdio; finish: () => void }> {
  const { EmptyInput, NodeInput, CallbackOutput } = await import('../../runtime/streams.js');
  const outLog = options.logPath ? new JsonLogOutput(options.logPath, 'stdout', options.tty) : null;
  const errLog = options.logPath ? new JsonLogOutput(options.logPath, 'stderr', options.tty) : null;
  const stdout = new CallbackOutput(async (chunk) => {
    io.out.write(chunk);
    await outLog?.write(chunk);
  }, options.tty);
  // With a terminal the program has one output stream, as with a pty.
  const stderr = options.tty
    ? stdout
    : new CallbackOutput(async (chunk) => {
        io.err.write(chunk);
        await errLog?.write(chunk);
      });
  const stdin = options.stdin ? new NodeInput(io.in, options.tty && io.stdinIsTTY) : new EmptyInput();
  if (!options.stdin) io.in.pause?.();
  return {
    stdio: { stdin, stdout, stderr },
    finish: () => {
      outLog?.flush();
      errLog?.flush();
      io.in.pause?.();
      (io.in as { unref?: () => void }).unref?.();
    },
  };
}

/** Runs `fn` with this process's signals forwarded to the emulated program (docker's sig-proxy). */
async function withSignalProxy<T>(fn: (signals: import('../../runtime/signals.js').ProcessSignals) => Promise<T>, pid1: boolean): Promise<T> {
  const { ProcessSignals } = await import('../../runtime/signals.js');
  const signals = new ProcessSignals({ pid1 });
  const handlers = PROXIED.map((sig) => {
    const h = (): void => signals.send(sig.slice(3) as Parameters<typeof signals.send>[0]);
    process.on(sig, h);
    return [sig, h] as const;
  });
  // The event loop must stay up while the program waits on nothing but a promise (a tty nobody types on).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    return await fn(signals);
  } finally {
    clearInterval(keepAlive);
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

async function runAttached(ctx: CommandContext, svc: ContainerService, id: string): Promise<number> {
  const c = await svc.get(id);
  const { stdio, finish } = await attachedStdio(ctx.io, {
    stdin: c.record.Config.OpenStdin,
    tty: c.record.Config.Tty,
    logPath: c.record.LogPath,
  });
  try {
    return await withSignalProxy((signals) => svc.runMain(id, stdio, signals), true);
  } finally {
    finish();
  }
}

// ---- ps ------------------------------------------------------------------------

/**
 * Texts that many rows of one listing share (containers made from one image
 * mostly run one command and have one virtual size), computed once: with a
 * thousand containers, quoting commands and formatting sizes cost more than
 * reading the records.
 */
class RowMemo {
  /** By the record's Args array itself: records read from the list snapshot share one per distinct command. */
  private readonly commands = new Map<readonly string[], Map<string, string>>();
  private readonly sizes = new Map<number, Map<number, string>>();
  /** STATUS and CREATED, at the listing's one `now`. */
  readonly times: StatusTexts;

  constructor(
    private readonly trunc: boolean,
    now: number,
  ) {
    this.times = new StatusTexts(now);
  }

  /** The COMMAND cell of Path and Args. */
  command(path: string, args: readonly string[]): string {
    let byPath = this.commands.get(args);
    if (byPath === undefined) this.commands.set(args, (byPath = new Map()));
    let text = byPath.get(path);
    if (text === undefined) {
      // The daemon's list quotes arguments that hold a space ('…'), and only those.
      let cmd = path;
      for (const arg of args) cmd += arg.includes(' ') ? ` '${arg}'` : ` ${arg}`;
      byPath.set(path, (text = goQuote(this.trunc ? ellipsis(cmd, 20) : cmd)));
    }
    return text;
  }

  /** The SIZE cell: `8B (virtual 4.26MB)`, or the first part alone when there is no second. */
  size(sizeRw: number, rootFs: number): string {
    let byRootFs = this.sizes.get(sizeRw);
    if (byRootFs === undefined) this.sizes.set(sizeRw, (byRootFs = new Map()));
    let text = byRootFs.get(rootFs);
    if (text === undefined) byRootFs.set(rootFs, (text = rootFs > 0 ? `${humanSize(sizeRw)} (virtual ${humanSize(rootFs)})` : humanSize(sizeRw)));
    return text;
  }
}

/** An image ID's hex part, cut to 12 digits. */
function shortId(id: string): string {
  return id.slice(id.indexOf(':') + 1).slice(0, 12);
}

/** One row of `ps`: docker/cli's ContainerContext, a getter per --format field. */
export class ContainerRow {
  constructor(
    protected readonly v: ContainerView,
    private readonly trunc: boolean,
    now: number,
    private readonly showSize: boolean,
    private readonly memo = new RowMemo(trunc, now),
  ) {}
  get ID(): string {
    return this.trunc ? this.v.record.ID.slice(0, 12) : this.v.record.ID;
  }
  get Names(): string {
    return this.v.record.Name.slice(1);
  }
  get Image(): string {
    const cfg = this.v.record.Config.Image;
    // The reference the container was created with, unless it now names another image (or none): then the ID.
    const stillPoints = this.v.image !== null && this.v.imageForRef === this.v.record.Image;
    if (cfg !== '' && stillPoints) {
      // docker/cli shortens a reference that is the image's own ID (a build step's container has "sha256:…").
      // Only a reference with 12 characters after its first ':' (or in all) can be one: the rest are not cut up to compare.
      const couldBeId = cfg.length - cfg.indexOf(':') - 1 >= 12;
      return this.trunc && couldBeId && shortId(cfg) === shortId(this.v.record.Image) ? shortId(cfg) : cfg;
    }
    return this.trunc ? this.v.record.Image.replace(/^sha256:/, '').slice(0, 12) : this.v.record.Image;
  }
  /** The image's platform: the API leaves it out for containers (null in JSON). */
  get Platform(): null {
    return null;
  }
  get Command(): string {
    return this.memo.command(this.v.record.Path, this.v.record.Args);
  }
  get CreatedAt(): string {
    return createdAt(Date.parse(this.v.record.Created), 'local');
  }
  get RunningFor(): string {
    return this.memo.times.agoWholeSeconds(Date.parse(this.v.record.Created));
  }
  /**
   * docker/cli's DisplayablePorts for a running container: published ports as
   * `0.0.0.0:8080->80/tcp, :::8080->80/tcp` (an unset host IP binds both
   * families), exposed-only ports as `80/tcp`. A stopped container has none.
   */
  get Ports(): string {
    if (!this.v.record.State.Running) return '';
    const bindings = this.v.host.PortBindings ?? {};
    const keys = new Set([...Object.keys(this.v.record.Config.ExposedPorts ?? {}), ...Object.keys(bindings)]);
    const sorted = [...keys].sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b));
    const out: string[] = [];
    for (const port of sorted) {
      const bound = (bindings[port] ?? []).filter((b) => b.HostPort !== '');
      if (bound.length === 0) {
        out.push(port);
        continue;
      }
      for (const b of bound) {
        if (b.HostIp) out.push(`${b.HostIp}:${b.HostPort}->${port}`);
        else out.push(`0.0.0.0:${b.HostPort}->${port}`, `:::${b.HostPort}->${port}`);
      }
    }
    return out.join(', ');
  }
  get State(): string {
    return statusWord(this.v.record);
  }
  get Status(): string {
    return this.memo.times.status(this.v.record.State);
  }
  /** Without -s the API sends no sizes: both are 0 and this reads "0B", as in Docker's JSON output. */
  get Size(): string {
    const sizeRw = this.showSize ? (this.v.sizeRw ?? 0) : 0;
    const rootFs = this.showSize ? sizeRw + (this.v.image?.size ?? 0) : 0;
    return this.memo.size(sizeRw, rootFs);
  }
  get Labels(): string {
    const labels = this.v.record.Config.Labels ?? {};
    return Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`)
      .join(',');
  }
  Label(name: string): string {
    return this.v.record.Config.Labels?.[name] ?? '';
  }
  get Mounts(): string {
    return Object.values(this.v.record.MountPoints)
      .map((m) => {
        const name = m.Type === 'volume' ? m.Name : m.Source;
        return this.trunc ? ellipsis(name, 15) : name;
      })
      .join(',');
  }
  get LocalVolumes(): string {
    return String(Object.values(this.v.record.MountPoints).filter((m) => m.Type === 'volume' && m.Driver === 'local').length);
  }
  get Networks(): string {
    const nets = (this.v.record.NetworkSettings.Networks ?? {}) as Record<string, unknown>;
    return Object.keys(nets).sort().join(',');
  }
}

/** The header row's data: a title per field; `Label NAME` is titled with the label's name, as docker/cli does. */
class PsHeaders {
  readonly ID = 'CONTAINER ID';
  readonly Names = 'NAMES';
  readonly Image = 'IMAGE';
  readonly Command = 'COMMAND';
  readonly CreatedAt = 'CREATED AT';
  readonly RunningFor = 'CREATED';
  readonly Ports = 'PORTS';
  readonly State = 'STATE';
  readonly Status = 'STATUS';
  readonly Size = 'SIZE';
  readonly Labels = 'LABELS';
  readonly Mounts = 'MOUNTS';
  readonly LocalVolumes = 'LOCAL VOLUMES';
  readonly Networks = 'NETWORKS';
  readonly Platform = 'PLATFORM';
  Label(name: string): string {
    return name;
  }
}

export const PS_HEADERS = new PsHeaders();

/** docker/cli's default `ps` table, in order (`-s` adds Size). */
const PS_COLUMNS = ['ID', 'Image', 'Command', 'RunningFor', 'Status', 'Ports', 'Names'] as const;
type PsColumn = (typeof PS_COLUMNS)[number] | 'Size';

/**
 * A row of the default table, PS_COLUMNS in order, for the header and the
 * rows alike. The columns are named, not read by a variable key: over a
 * thousand rows, keyed getter lookups showed.
 */
function psTableCells(r: Pick<ContainerRow, PsColumn>, size: boolean): string[] {
  const cells = [r.ID, r.Image, r.Command, r.RunningFor, r.Status, r.Ports, r.Names];
  if (size) cells.push(r.Size);
  return cells;
}

async function psHandler(ctx: CommandContext): Promise<void> {
  const engine = await ctx.engine();
  const svc = engine.containers;
  const format = flagString(ctx.flags, 'format');
  const quiet = flagBool(ctx.flags, 'quiet');
  const size = !quiet && (flagBool(ctx.flags, 'size') || (format !== undefined && format.includes('.Size')));
  let last = flagInt(ctx.flags, 'last') ?? -1;
  if (flagBool(ctx.flags, 'latest')) last = 1;
  const all = flagBool(ctx.flags, 'all') || last > 0;
  const filters = parseFilters(flagList(ctx.flags, 'filter'));
  const wantsAllForFilter = filters.has('status') || filters.has('exited');
  let views = await svc.list({ all: all || wantsAllForFilter, size: false });
  views = await matchFilters(views, filters, svc);
  if (!all && !wantsAllForFilter) views = views.filter((v) => v.record.State.Running);
  if (last > 0) views = views.slice(0, last);
  if (size) await svc.fillSizeRw(views);
  const trunc = !flagBool(ctx.flags, 'no-trunc');
  const now = Date.now();
  const memo = new RowMemo(trunc, now);
  const rows = views.map((v) => new ContainerRow(v, trunc, now, size, memo));
  if (quiet) {
    if (format !== undefined && format !== '') ctx.io.err.write('WARNING: Ignoring custom format, because both --format and --quiet are set.\n');
    // What the '{{.ID}}' template prints, without the template engine.
    ctx.io.out.write(rows.map((r) => `${r.ID}\n`).join(''));
    return;
  }
  if (format === undefined || format === '' || format === TABLE_FORMAT_KEY) {
    // The default table is the default template's output, built without the
    // template interpreter: with a thousand containers, interpreting it cost
    // as much as reading every record.
    const table = [psTableCells(PS_HEADERS, size)];
    for (const r of rows) table.push(psTableCells(r, size));
    ctx.io.out.write(tabwriteRows(table));
    return;
  }
  const columns: readonly PsColumn[] = size ? [...PS_COLUMNS, 'Size'] : PS_COLUMNS;
  const defaultFormat = `table ${columns.map((k) => `{{.${k}}}`).join('\t')}`;
  ctx.io.out.write(renderList({ format, defaultFormat, rows, headers: PS_HEADERS }));
}

// ---- the commands ------------------------------------------------------------------

/** How docker/cli shows one failure among several: the daemon prefix for daemon errors. */
function errorLine(err: MydockError): string {
  return `${err instanceof DaemonError ? 'Error response from daemon: ' : ''}${err.message}`;
}

/**
 * Runs `fn` for every argument in order, printing each name that succeeds;
 * the errors are printed together at the end, as docker/cli collects them.
 */
async function eachContainer(ctx: CommandContext, fn: (name: string) => Promise<void>, options: { ignore?: (err: MydockError) => boolean } = {}): Promise<number> {
  const errors: string[] = [];
  let failed = false;
  for (const name of ctx.args) {
    try {
      await fn(name);
      ctx.io.out.write(`${name}\n`);
    } catch (err) {
      if (!(err instanceof MydockError)) throw err;
      errors.push(errorLine(err));
      if (!options.ignore?.(err)) failed = true;
    }
  }
  if (errors.length > 0) ctx.io.err.write(errors.join('\n') + '\n');
  return failed ? 1 : 0;
}

const FORMAT_FLAG: FlagSpec = { name: 'format', short: 'f', kind: 'string', description: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" };

const run: CommandDef = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  flags: RUN_FLAGS,
  args: { kind: 'min', n: 1 },
  interspersed: false,
  framing: 'run',
  async handler(ctx) {
    const engine = await ctx.engine();
    const svc = engine.containers;
    const detach = flagBool(ctx.flags, 'detach');
    const options = await createOptions(ctx, detach);
    const id = await createWithPull(ctx, engine, options);
    if (detach) {
      ctx.io.out.write(`${id}\n`);
      await svc.startDetached(id);
      return 0;
    }
    let status: number;
    try {
      status = await runAttached(ctx, svc, id);
    } catch (err) {
      if (options.autoRemove) await svc.remove(id, { force: true, volumes: true }).catch(() => undefined);
      throw err;
    }
    return status;
  },
};

const create: CommandDef = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  flags: [...CREATE_FLAGS, { name: 'rm', kind: 'bool', description: 'Automatically remove the container and its associated anonymous volumes when it exits' }],
  args: { kind: 'min', n: 1 },
  interspersed: false,
  async handler(ctx) {
    const engine = await ctx.engine();
    const id = await createWithPull(ctx, engine, await createOptions(ctx, false));
    ctx.io.out.write(`${id}\n`);
  },
};

const start: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  flags: [
    { name: 'attach', short: 'a', kind: 'bool', description: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'interactive', short: 'i', kind: 'bool', description: "Attach container's STDIN" },
  ],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    if (flagBool(ctx.flags, 'attach') || flagBool(ctx.flags, 'interactive')) {
      if (ctx.args.length > 1) throw new UsageError('you cannot start and attach multiple containers at once');
      const c = await svc.get(ctx.args[0]!);
      const { stdio, finish } = await attachedStdio(ctx.io, {
        stdin: flagBool(ctx.flags, 'interactive') && c.record.Config.OpenStdin,
        tty: c.record.Config.Tty,
        logPath: c.record.LogPath,
      });
      try {
        return await withSignalProxy((signals) => svc.runMain(c.record.ID, stdio, signals), true);
      } finally {
        finish();
      }
    }
    const failed: string[] = [];
    const errors: string[] = [];
    for (const name of ctx.args) {
      try {
        await svc.startDetached(name);
        ctx.io.out.write(`${name}\n`);
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        errors.push(errorLine(err));
        failed.push(name);
      }
    }
    if (failed.length > 0) {
      ctx.io.err.write(`${errors.join('\n')}\nError: failed to start containers: ${failed.join(', ')}\n`);
      return 1;
    }
  },
};

const TIME_FLAG: FlagSpec = { name: 'timeout', short: 't', kind: 'int', description: 'Seconds to wait before killing the container' };
/** The flag's old name, still accepted. */
const OLD_TIME_FLAG: FlagSpec = { name: 'time', kind: 'int', description: 'Seconds to wait before killing the container (deprecated: use --timeout)', hidden: true };
const timeoutOf = (ctx: CommandContext): number | undefined => flagInt(ctx.flags, 'timeout') ?? flagInt(ctx.flags, 'time');
const SIGNAL_FLAG: FlagSpec = { name: 'signal', short: 's', kind: 'string', description: 'Signal to send to the container' };

const stop: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  flags: [SIGNAL_FLAG, TIME_FLAG, OLD_TIME_FLAG],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const t = timeoutOf(ctx);
    const s = flagString(ctx.flags, 'signal');
    // Docker stops the containers in parallel.
    return parallelEach(ctx, (name) => svc.stop(name, t, s));
  },
};

/** Runs `fn` for every argument at once (docker/cli stops and kills in parallel); output as eachContainer. */
async function parallelEach(ctx: CommandContext, fn: (name: string) => Promise<void>): Promise<number> {
  const results = await Promise.allSettled(ctx.args.map((name) => fn(name)));
  const errors: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      ctx.io.out.write(`${ctx.args[i]}\n`);
      return;
    }
    const err = r.reason as unknown;
    if (!(err instanceof MydockError)) throw err;
    errors.push(errorLine(err));
  });
  if (errors.length > 0) ctx.io.err.write(errors.join('\n') + '\n');
  return errors.length > 0 ? 1 : 0;
}

const restart: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Restart one or more containers',
  flags: [SIGNAL_FLAG, TIME_FLAG, OLD_TIME_FLAG],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    return eachContainer(ctx, (name) => svc.restart(name, timeoutOf(ctx)));
  },
};

const kill: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  flags: [{ ...SIGNAL_FLAG, description: 'Signal to send to the container', defaultValue: 'KILL' }],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    return parallelEach(ctx, (name) => svc.kill(name, flagString(ctx.flags, 'signal') ?? 'KILL'));
  },
};

const wait: CommandDef = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  flags: [],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const errors: string[] = [];
    for (const name of ctx.args) {
      try {
        ctx.io.out.write(`${await svc.wait(name)}\n`);
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        errors.push(errorLine(err));
      }
    }
    if (errors.length > 0) ctx.io.err.write(errors.join('\n') + '\n');
    return errors.length > 0 ? 1 : 0;
  },
};

const pause: CommandDef = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Pause all processes within one or more containers',
  flags: [],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    return eachContainer(ctx, (name) => svc.pause(name));
  },
};

const unpause: CommandDef = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Unpause all processes within one or more containers',
  flags: [],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    return eachContainer(ctx, (name) => svc.unpause(name));
  },
};

const rm: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  flags: [
    { name: 'force', short: 'f', kind: 'bool', description: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', kind: 'bool', description: 'Remove the specified link' },
    { name: 'volumes', short: 'v', kind: 'bool', description: 'Remove anonymous volumes associated with the container' },
  ],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const force = flagBool(ctx.flags, 'force');
    // `rm -f` of a container that does not exist is not a failure (docker/cli ignores NotFound with -f), but is still reported.
    return eachContainer(ctx, (name) => svc.remove(name, { force, volumes: flagBool(ctx.flags, 'volumes') }), {
      ignore: (err) => force && err.code === 'NO_SUCH_CONTAINER',
    });
  },
};

const rename: CommandDef = {
  usage: 'CONTAINER NEW_NAME',
  short: 'Rename a container',
  flags: [],
  args: { kind: 'exact', n: 2 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    try {
      await svc.rename(ctx.args[0]!, ctx.args[1]!);
    } catch (err) {
      if (!(err instanceof MydockError)) throw err;
      ctx.io.err.write(`${errorLine(err)}\nError: failed to rename container named ${ctx.args[0]}\n`);
      return 1;
    }
  },
};

const prune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove all stopped containers',
  flags: [
    { name: 'filter', kind: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
  ],
  args: { kind: 'none' },
  async handler(ctx) {
    const { parseFilterFlags } = await import('../../engine/filters.js');
    const { containerPruneFilter } = await import('../../engine/containers/prune-filter.js');
    const filters = parseFilterFlags(flagList(ctx.flags, 'filter'), '--filter');
    if (!flagBool(ctx.flags, 'force') && !(await confirm(ctx.io, 'WARNING! This will remove all stopped containers.'))) return 0;
    // The daemon checks the filters' names, after the prompt.
    const { deleted, reclaimed } = await (await ctx.engine()).containers.prune(containerPruneFilter(filters, new Date()));
    ctx.io.out.write(pruneReport([['Deleted Containers', deleted]], reclaimed));
  },
};

const ls: CommandDef = {
  usage: '[OPTIONS]',
  short: 'List containers',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all containers (default shows just running)' },
    { name: 'filter', short: 'f', kind: 'list', valueName: 'filter', description: 'Filter output based on conditions provided' },
    { ...FORMAT_FLAG, short: undefined },
    { name: 'last', short: 'n', kind: 'int', description: 'Show n last created containers (includes all states)', defaultValue: -1 },
    { name: 'latest', short: 'l', kind: 'bool', description: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display container IDs' },
    { name: 'size', short: 's', kind: 'bool', description: 'Display total file sizes' },
  ],
  args: { kind: 'none' },
  handler: psHandler,
};

const exec: CommandDef = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  flags: [
    { name: 'detach', short: 'd', kind: 'bool', description: 'Detached mode: run command in the background' },
    { name: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
    { name: 'env-file', kind: 'list', description: 'Read in a file of environment variables' },
    { name: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open even if not attached' },
    { name: 'privileged', kind: 'bool', description: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', kind: 'string', description: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container' },
  ],
  args: { kind: 'min', n: 2 },
  interspersed: false,
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const [name, ...argv] = ctx.args;
    const env = resolveEnv([...flagList(ctx.flags, 'env-file').flatMap(readEnvFile), ...flagList(ctx.flags, 'env')], process.env);
    const tty = flagBool(ctx.flags, 'tty');
    const options = { env, workdir: flagString(ctx.flags, 'workdir'), user: flagString(ctx.flags, 'user'), tty };
    if (flagBool(ctx.flags, 'detach')) {
      await svc.execDetached(name!, { argv, ...options });
      return 0;
    }
    const { stdio, finish } = await attachedStdio(ctx.io, { stdin: flagBool(ctx.flags, 'interactive'), tty });
    try {
      return await withSignalProxy((signals) => svc.exec(name!, argv, stdio, signals, options), false);
    } finally {
      finish();
    }
  },
};

// ---- logs ------------------------------------------------------------------------------

/** `--since`/`--until`: RFC 3339, a Unix timestamp, or a duration ago ("10m"). */
function parseTimeArg(text: string, now: number): number {
  const dur = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(text);
  if (dur) {
    const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    return now - Number(dur[1]) * unit[dur[2]!]!;
  }
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`invalid value for "since": ${text}`);
  return t;
}

function selectLogEntries(entries: LogEntry[], ctx: CommandContext, now: number): LogEntry[] {
  let out = entries;
  const since = flagString(ctx.flags, 'since');
  if (since) {
    const t = parseTimeArg(since, now);
    out = out.filter((e) => Date.parse(e.time) >= t);
  }
  const until = flagString(ctx.flags, 'until');
  if (until) {
    const t = parseTimeArg(until, now);
    out = out.filter((e) => Date.parse(e.time) <= t);
  }
  const tail = flagString(ctx.flags, 'tail');
  if (tail !== undefined && tail !== 'all') {
    const n = Number(tail);
    if (Number.isInteger(n) && n >= 0) out = n === 0 ? [] : out.slice(-n);
  }
  return out;
}

function writeLogEntry(io: Io, e: LogEntry, timestamps: boolean): void {
  const text = timestamps ? `${e.time} ${e.log}` : e.log;
  if (e.stream === 'stderr') io.err.write(text);
  else io.out.write(text);
}

const logs: CommandDef = {
  usage: '[OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  flags: [
    { name: 'details', kind: 'bool', description: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', kind: 'bool', description: 'Follow log output' },
    { name: 'since', kind: 'string', description: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', kind: 'string', description: 'Number of lines to show from the end of the logs', defaultValue: 'all' },
    { name: 'timestamps', short: 't', kind: 'bool', description: 'Show timestamps' },
    { name: 'until', kind: 'string', description: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  args: { kind: 'exact', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const { container, entries } = await svc.logs(ctx.args[0]!);
    const timestamps = flagBool(ctx.flags, 'timestamps');
    const shown = selectLogEntries(entries, ctx, Date.now());
    for (const e of shown) writeLogEntry(ctx.io, e, timestamps);
    if (!flagBool(ctx.flags, 'follow')) return;
    let seen = entries.length;
    for (;;) {
      // Re-read the record (reconciled with its shim) to learn whether it still runs.
      const fresh = await svc.get(container.record.ID).catch(() => null);
      const now = await svc.logs(container.record.ID).catch(() => null);
      if (now) {
        for (const e of now.entries.slice(seen)) writeLogEntry(ctx.io, e, timestamps);
        seen = now.entries.length;
      }
      if (!fresh || !fresh.record.State.Running) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  },
};

const diff: CommandDef = {
  usage: 'CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  flags: [],
  args: { kind: 'exact', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const changes = await svc.diff(ctx.args[0]!);
    ctx.io.out.write(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
  },
};

const inspect: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  flags: [FORMAT_FLAG, { name: 'size', short: 's', kind: 'bool', description: 'Display total file sizes' }],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const records: unknown[] = [];
    const errors: string[] = [];
    for (const name of ctx.args) {
      try {
        records.push(await svc.inspect(name, flagBool(ctx.flags, 'size')));
      } catch (err) {
        if (!(err instanceof MydockError) || err.code !== 'NO_SUCH_CONTAINER') throw err;
        errors.push(`Error response from daemon: No such container: ${name}`);
      }
    }
    const result = renderInspect(flagString(ctx.flags, 'format'), records);
    ctx.io.out.write(result.stdout);
    const all = [...result.errors, ...errors];
    if (all.length > 0) {
      ctx.io.err.write(all.join('\n') + '\n');
      return 1;
    }
  },
};

const commit: CommandDef = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  flags: [
    { name: 'author', short: 'a', kind: 'string', description: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', kind: 'list', description: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', description: 'Commit message' },
    { name: 'pause', short: 'p', kind: 'bool', description: 'Pause container during commit (default true)' },
  ],
  args: { kind: 'range', min: 1, max: 2 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const reference = ctx.args[1];
    if (reference !== undefined) {
      const { parseUserReference } = await import('../../engine/reference/index.js');
      parseUserReference(reference);
    }
    const id = await svc.commit(ctx.args[0]!, {
      reference,
      message: flagString(ctx.flags, 'message'),
      author: flagString(ctx.flags, 'author'),
      changes: flagList(ctx.flags, 'change'),
    });
    ctx.io.out.write(`${id}\n`);
  },
};

/** `CONTAINER:PATH` or a local path (a colon after a slash is part of a local path, as docker/cli splits). */
function splitCpArg(arg: string): { container: string | null; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.')) return { container: null, path: arg };
  const i = arg.indexOf(':');
  if (i <= 0) return { container: null, path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

const cp: CommandDef = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  flags: [
    { name: 'archive', short: 'a', kind: 'bool', description: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', kind: 'bool', description: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  args: { kind: 'exact', n: 2 },
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const src = splitCpArg(ctx.args[0]!);
    const dst = splitCpArg(ctx.args[1]!);
    const options = { followLink: flagBool(ctx.flags, 'follow-link'), archive: flagBool(ctx.flags, 'archive') };
    if (src.container !== null && dst.container !== null) throw new ClientError('copying between containers is not supported', 'CP_USAGE');
    if (src.container === null && dst.container === null) throw new ClientError('must specify at least one container source', 'CP_USAGE');
    // "Successfully copied" is progress output: docker/cli prints it only to a terminal.
    const report = (bytes: number, where: string): void => {
      if (ctx.io.err.isTTY && !flagBool(ctx.flags, 'quiet')) ctx.io.err.write(`Successfully copied ${humanSize(bytes)} to ${where}\n`);
    };
    if (src.container !== null) {
      if (dst.path === '-') {
        for (const chunk of await svc.archiveFrom(src.container, src.path, options.followLink)) ctx.io.out.write(chunk);
        return;
      }
      const bytes = await svc.copyFrom(src.container, src.path, dst.path, options);
      const { resolve } = await import('node:path');
      report(bytes, resolve(dst.path));
      return;
    }
    if (src.path === '-') {
      await svc.extractTo(dst.container!, dst.path, ctx.io.in as AsyncIterable<Buffer>);
      return;
    }
    const bytes = await svc.copyTo(dst.container!, src.path, dst.path, options);
    report(bytes, ctx.args[1]!);
  },
};

const top: CommandDef = {
  usage: 'CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  flags: [],
  args: { kind: 'min', n: 1 },
  interspersed: false,
  async handler(ctx) {
    const svc = (await ctx.engine()).containers;
    const { titles, processes } = await svc.top(ctx.args[0]!);
    const { tabwrite } = await import('../format/index.js');
    const text = [titles, ...processes].map((row) => row.join('\t')).join('\n') + '\n';
    ctx.io.out.write(tabwrite(text, { minWidth: 20, tabWidth: 1, padding: 3, padChar: ' ' }));
  },
};

export const commands: CommandGroup = {
  'container commit': commit,
  'container cp': cp,
  'container top': top,
  'container port': port,
  'container run': run,
  'container create': create,
  'container start': start,
  'container stop': stop,
  'container restart': restart,
  'container kill': kill,
  'container wait': wait,
  'container pause': pause,
  'container unpause': unpause,
  'container rm': rm,
  'container rename': rename,
  'container prune': prune,
  'container ls': ls,
  'container exec': exec,
  'container logs': logs,
  'container diff': diff,
  'container inspect': inspect,
};

