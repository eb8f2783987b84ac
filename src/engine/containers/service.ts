/**
 * The container service: create, start, stop, remove and look at
 * containers, as the Docker daemon does, over records in
 * `<root>/containers/` and writable layers in the layer store.
 *
 * Processes. An attached program (`run` without -d, `start -a`, `exec`) runs
 * inside the calling process; a detached one runs in a shim, a background
 * node process that records the exit status when the program ends. Either
 * way the record holds the pid and start token of the process that runs the
 * program, so any mydock process can signal it (`stop`, `kill`, `pause`) and
 * notice when it died without recording its end.
 */
import fs from 'node:fs';
import type { RootLayout } from '../../state/root.js';
import type { LayerStore } from '../../storage/layer-store.js';
import type { Change } from '../../storage/driver.js';
import { ContainerFs } from '../../runtime/fs/container-fs.js';
import { FsError } from '../../storage/backend.js';
import type { InputStream, OutputStream, SignalName } from '../../runtime/process.js';
import { ProcessSignals } from '../../runtime/signals.js';
import {
  DaemonError,
  cannotKill,
  cannotKillMissing,
  containerAlreadyPaused,
  containerNotPaused,
  containerNotRunning,
  containerPausedExec,
  invalidContainerName,
  mountTypeMismatch,
  nameConflict,
  noSuchImage,
  removeRunningContainer,
  renameConflict,
  renameSameName,
} from '../errors.js';
import { copyIn, copyOut, noSuchDirectory, type CopyOptions } from './copy.js';
import { inspectContainer, publishedPorts, type InspectExtras } from './inspect.js';
import type { Launcher, LaunchSpec } from './launcher.js';
import { isProcessAlive, processStartToken } from './liveness.js';
import { goTime, readLog, type LogEntry } from './log-file.js';
import { generateId, generateName, isValidName } from './names.js';
import type { ImageInfo, ImagePort, VolumePort } from './ports.js';
import { normalise } from '../mounts/volume-flag.js';
import { buildRecord, hostsFile, RESOLV_CONF, type CreateOptions } from './spec.js';
import { isRunBy, markExited, markStarted, markStartFailed, type ProcessRef } from './state.js';
import { ContainerStore } from './store.js';
import type { Container, ListedContainer } from './types.js';

export interface ShimSpawner {
  /** Starts the shim for a container and resolves once it has recorded the start (or rejects with its error). */
  spawn(root: string, containerId: string): Promise<void>;
  /** `exec -d`: runs a process in the background; resolves once it started. */
  spawnExec(root: string, containerId: string, request: DetachedExec): Promise<void>;
}

export interface DetachedExec {
  argv: string[];
  env?: string[];
  workdir?: string;
  user?: string;
  tty?: boolean;
}

export interface ContainerServiceDeps {
  root: RootLayout;
  layers: () => LayerStore | Promise<LayerStore>;
  images: () => ImagePort | Promise<ImagePort>;
  volumes: () => VolumePort | Promise<VolumePort>;
  launcher: () => Launcher | Promise<Launcher>;
  shim: () => ShimSpawner | Promise<ShimSpawner>;
}

/** Streams of a program run in this process. */
export interface Stdio {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

/** What list/ps needs about one container. */
export interface ContainerView extends ListedContainer {
  /** The image record, null when it was deleted (rmi -f). */
  image: ImageInfo | null;
  /** The image Config.Image names today (null: none); `ps` shows the ID when it is not the container's. */
  imageForRef: string | null;
  /** SizeRw when asked for. */
  sizeRw?: number;
}

const POLL_MS = 50;
const SCRATCH: ImageInfo = { id: '', config: {}, topLayer: null, size: 0, repoTags: [] };
/** Signals a shim (or an attached CLI) forwards to the program; the rest act on the process itself. */
const FORWARDED: ReadonlySet<SignalName> = new Set<SignalName>(['HUP', 'INT', 'QUIT', 'TERM', 'USR1', 'USR2', 'WINCH', 'ALRM']);

/** The parent of a host process (from /proc), 0 when unknown. */
function parentPid(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The host refused a write to the root (full disk, read-only, permissions). */
function isRootWriteFailure(err: unknown): boolean {
  return err instanceof DaemonError && err.code === 'ROOT_WRITE_FAILED';
}

export function parseSignal(raw: string): SignalName | null {
  const upper = raw.toUpperCase().replace(/^SIG/, '');
  const numbers: Record<string, SignalName> = {
    '1': 'HUP', '2': 'INT', '3': 'QUIT', '9': 'KILL', '10': 'USR1', '12': 'USR2', '14': 'ALRM', '15': 'TERM', '18': 'CONT', '19': 'STOP', '28': 'WINCH',
  };
  if (numbers[upper]) return numbers[upper]!;
  const names: SignalName[] = ['HUP', 'INT', 'QUIT', 'KILL', 'USR1', 'USR2', 'PIPE', 'ALRM', 'TERM', 'CHLD', 'CONT', 'STOP', 'TSTP', 'WINCH'];
  return names.includes(upper as SignalName) ? (upper as SignalName) : null;
}

export class ContainerService {
  private readonly store: ContainerStore;

  constructor(private readonly deps: ContainerServiceDeps) {
    this.store = new ContainerStore(deps.root);
  }

  // ---- looking up ----------------------------------------------------------

  /** The container, with a dead runner turned into an exited state. */
  async get(nameOrId: string): Promise<Container> {
    return this.reconcile(this.store.get(nameOrId));
  }

  /**
   * A record that says Running while the process that runs it is gone (a
   * killed shim, a reboot) is brought up to date: exited, status 137 as
   * after a SIGKILL.
   */
  async reconcile(c: Container): Promise<Container> {
    const r = c.record;
    if (!r.State.Running || isProcessAlive(r.Mydock.ProcessPid, r.Mydock.ProcessStart)) return c;
    const proc = { pid: r.Mydock.ProcessPid, token: r.Mydock.ProcessStart };
    try {
      return await this.store.lock(async () => {
        const fresh = this.store.read(r.ID);
        if (!fresh) return c;
        if (isRunBy(fresh.record, proc)) {
          markExited(fresh.record, 137);
          fresh.record.Mydock.SizeRw = await this.computeSizeRw(fresh.record.ID);
          // Best effort: the state is derived, so a full disk or a read-only
          // root must not fail the command that merely looks at it.
          this.writeDerived(fresh);
        }
        return fresh;
      });
    } catch (err) {
      // The lock itself could not be taken (read-only root): derive the state in memory only.
      if (!isRootWriteFailure(err)) throw err;
      const copy: Container = structuredClone(c);
      markExited(copy.record, 137);
      return copy;
    }
  }

  /** Writes a reconciled (derived) record; a refusal of the host to write is not an error. */
  private writeDerived(c: Container): void {
    try {
      this.store.write(c);
    } catch (err) {
      if (!isRootWriteFailure(err)) throw err;
    }
  }

  async list(options: { all?: boolean; size?: boolean } = {}): Promise<ContainerView[]> {
    const images = await this.deps.images();
    const out: ContainerView[] = [];
    const imageCache = new Map<string, ImageInfo | null>();
    const refCache = new Map<string, string | null>();
    const refId = (ref: string): string | null => {
      if (!refCache.has(ref)) {
        let id: string | null = null;
        try {
          id = images.resolveId(ref);
        } catch {
          // A reference that no longer parses names nothing.
        }
        refCache.set(ref, id);
      }
      return refCache.get(ref) ?? null;
    };
    const imageOf = (id: string): ImageInfo | null => {
      let info = imageCache.get(id);
      if (info === undefined) imageCache.set(id, (info = images.byId(id)));
      return info;
    };
    // Newest first, as the daemon lists them: the store gives them so.
    const listed = this.store.listed();
    for (let i = 0; i < listed.length; i++) {
      // Awaited only for a running container: a thousand awaits show in a listing's time.
      const c = listed[i]!.record.State.Running ? await this.reconcileListed(listed[i]!) : listed[i]!;
      if (c === null || (!options.all && !c.record.State.Running)) continue;
      // Assigned, not spread: a spread would read the host config, which listing rarely needs.
      const view = c as ContainerView;
      view.image = imageOf(c.record.Image);
      view.imageForRef = refId(c.record.Config.Image);
      out.push(view);
    }
    if (options.size) await this.fillSizeRw(out);
    return out;
  }

  /** `reconcile` for a listed container: the record is read in full only when its runner is gone (null: removed meanwhile). */
  private async reconcileListed(c: ListedContainer): Promise<ListedContainer | null> {
    const r = c.record;
    if (!r.State.Running || isProcessAlive(r.Mydock.ProcessPid, r.Mydock.ProcessStart)) return c;
    const full = this.store.read(r.ID);
    return full && this.reconcile(full);
  }

  /**
   * SizeRw: live for a running container (its programs may be writing),
   * else the figure cached when its last process ended, so that `ps -s`
   * over many stopped containers walks no layer.
   */
  async sizeRw(c: ListedContainer): Promise<number> {
    return this.cachedSizeRw(c) ?? this.computeSizeRw(c.record.ID);
  }

  /** `sizeRw` of each view, in one call: a call through the engine's lazy facade is an await each. */
  async fillSizeRw(views: ContainerView[]): Promise<void> {
    for (const v of views) v.sizeRw = this.cachedSizeRw(v) ?? (await this.computeSizeRw(v.record.ID));
  }

  /** The SizeRw `sizeRw` gives without walking the layer; null when it must walk. */
  private cachedSizeRw(c: ListedContainer): number | null {
    if (!c.record.State.Running && typeof c.record.Mydock.SizeRw === 'number') return c.record.Mydock.SizeRw;
    return null;
  }

  private async computeSizeRw(id: string): Promise<number> {
    const layers = await this.deps.layers();
    return layers.getRwLayer(id) ? layers.rwSize(id) : 0;
  }

  // ---- create ----------------------------------------------------------------

  /** The image reference as `Unable to find image '…' locally` names it: familiar, with the default tag. */
  async userReference(image: string): Promise<string> {
    const { parseUserReference, familiarString, tagNameOnly } = await import('../reference/index.js');
    const ref = parseUserReference(image);
    return familiarString(ref.digest ? ref : tagNameOnly(ref));
  }

  /** Pulls through the image service (the offline catalog); progress lines go to `onLine`. */
  async pull(reference: string, onLine: (line: string) => void): Promise<void> {
    const images = await this.deps.images();
    if (!images.pull) throw noSuchImage(reference);
    await images.pull(reference, onLine);
  }

  /** Creates a container; throws `noSuchImage` when the image is missing (the CLI then pulls and retries). */
  async create(options: CreateOptions): Promise<string> {
    const images = await this.deps.images();
    if (options.name !== undefined && !isValidName(options.name)) throw invalidContainerName(options.name);
    // FROM scratch: a build step's container has no image.
    const image = options.buildStep && options.image === '' ? SCRATCH : images.resolve(options.image);
    if (!image) throw noSuchImage(await this.userReference(options.image).catch(() => options.image));
    const layers = await this.deps.layers();
    const volumes = await this.deps.volumes();
    return this.store.lock(async () => {
      const all = this.store.listed();
      if (options.name !== undefined) {
        const holder = all.find((c) => c.record.Name === `/${options.name}`);
        if (holder) throw nameConflict(options.name, holder.record.ID);
      }
      const ids = new Set(all.map((c) => c.record.ID));
      const id = generateId((x) => ids.has(x) || fs.existsSync(this.store.dir(x)));
      const name = options.name ?? generateName((n) => all.some((c) => c.record.Name === `/${n}`));
      const dir = this.store.dir(id);
      const { record, host } = buildRecord(id, name, goTime(Date.now()), options, image, {
        dir,
        logPath: this.store.logPath(id),
        driver: layers.driver.name,
      });
      // Built aside and renamed into place once its records exist (see ContainerStore.stage).
      let staged: string | null = this.store.stage(id);
      try {
        this.store.writeFile(id, 'hostname', `${record.Config.Hostname}\n`, staged);
        this.store.writeFile(id, 'hosts', hostsFile(), staged);
        this.store.writeFile(id, 'resolv.conf', RESOLV_CONF, staged);
        layers.createRwLayer(id, image.topLayer, { hostname: record.Config.Hostname });
        // The image's VOLUMEs that no mount covers get anonymous volumes.
        const covered = new Set(record.Mydock.RequestedMounts.map((m) => m.target));
        for (const key of Object.keys(record.Config.Volumes ?? {})) {
          // Keys are specs as written (`-v /anon/`); the daemon cleans them, as filepath.Clean.
          const target = normalise(key);
          if (covered.has(target)) continue;
          covered.add(target);
          record.Mydock.RequestedMounts.push({ type: 'volume', source: '', target, readOnly: false, origin: 'image-volume', mode: '', propagation: '' });
        }
        const prepared = await volumes.prepare(id, record.Mydock.RequestedMounts, host);
        record.MountPoints = prepared.mountPoints;
        record.Mydock.AnonymousVolumes = prepared.anonymousVolumes;
        volumes.populate?.(record, layers.rwView(id));
        this.store.write({ record, host }, staged);
        this.store.publish(staged, id);
        staged = null;
      } catch (err) {
        if (layers.getRwLayer(id)) layers.removeRwLayer(id);
        if (staged !== null) fs.rmSync(staged, { recursive: true, force: true });
        throw err;
      }
      return id;
    });
  }

  // ---- running programs --------------------------------------------------------

  /** The container's filesystem namespace: its layers, and (once the volume service provides them) its mounts. */
  async containerFs(c: Container): Promise<ContainerFs> {
    const layers = await this.deps.layers();
    const volumes = await this.deps.volumes();
    const { standardMounts } = await import('../../runtime/fs/standard-mounts.js');
    const { HostDirBackend } = await import('../../storage/host-dir.js');
    // Docker bind-mounts the container's hostname, hosts and resolv.conf over /etc, after the user's mounts:
    // writes to them never reach the writable layer, and a bind over /etc gets placeholder files for them.
    const etcFiles = [
      ['/etc/resolv.conf', c.record.ResolvConfPath],
      ['/etc/hostname', c.record.HostnamePath],
      ['/etc/hosts', c.record.HostsPath],
    ].map(([target, file]) => ({
      target: target!,
      backend: new HostDirBackend(file!, { kind: 'bind', ownership: 'host' }),
      readOnly: false,
      kind: 'file' as const,
      source: '/dev/sda1',
    }));
    const rootfs = layers.rwView(c.record.ID);
    const cfs = new ContainerFs({ backend: rootfs, readOnly: c.host.ReadonlyRootfs }, [
      ...standardMounts(),
      ...(volumes.mounts?.(c, (p) => rootfs.lstat(p)) ?? []),
      ...etcFiles,
    ]);
    try {
      cfs.prepareMountpoints();
    } catch (err) {
      if (err instanceof FsError && (err.code === 'ENOTDIR' || err.code === 'EISDIR')) {
        const point = c.record.MountPoints[err.path];
        throw mountTypeMismatch(point?.Source ?? err.path, err.path, err.code === 'ENOTDIR' ? 'not a directory' : 'is a directory');
      }
      throw err;
    }
    return cfs;
  }

  private async launchSpec(c: Container, stdio: Stdio, signals: ProcessSignals, argv: string[], over: Partial<LaunchSpec> = {}): Promise<LaunchSpec> {
    const cfg = c.record.Config;
    return {
      fs: await this.containerFs(c),
      argv,
      env: cfg.Env ?? [],
      cwd: cfg.WorkingDir || '/',
      user: cfg.User,
      stdin: stdio.stdin,
      stdout: stdio.stdout,
      stderr: stdio.stderr,
      tty: cfg.Tty,
      signals,
      container: { id: c.record.ID, name: c.record.Name.slice(1), hostname: cfg.Hostname, image: cfg.Image },
      pid: 1,
      ...over,
    };
  }

  /**
   * Runs the main program in this process (`run` attached, `start -a`, and
   * the shim). `onStarted` is called once the start is recorded. Resolves to
   * the program's exit status; start failures (not found, bad user) are
   * recorded on the container and thrown.
   */
  async runMain(nameOrId: string, stdio: Stdio, signals: ProcessSignals, onStarted?: () => void): Promise<number> {
    const c = await this.get(nameOrId);
    const id = c.record.ID;
    if (c.record.State.Running && !c.record.State.Restarting) throw new DaemonError(`container ${id} is already running`, 'RUNNING');
    const launcher = await this.deps.launcher();
    // A start mounts fresh tmpfs mounts.
    (await this.deps.volumes()).resetTmpfs?.(c);
    let prepared;
    try {
      prepared = await launcher.prepare(await this.launchSpec(c, stdio, signals, [c.record.Path, ...c.record.Args]), 'main');
    } catch (err) {
      if (err instanceof DaemonError) {
        await this.store.update(id, (fresh) => markStartFailed(fresh.record, err.message, err.runStatus === 125 ? 128 : err.runStatus));
      }
      throw err;
    }
    const proc: ProcessRef = { pid: process.pid, token: processStartToken(process.pid) };
    await this.store.update(id, (fresh) => markStarted(fresh.record, proc));
    onStarted?.();
    let status: number;
    try {
      status = await prepared.run();
    } catch (err) {
      await this.recordExit(id, proc, 128 + 9);
      throw err;
    }
    await this.recordExit(id, proc, status);
    return status;
  }

  /**
   * The restart policy after the main program of a shim ended with `status`:
   * the delay before the next start, or null to stay exited. A restart is
   * recorded as Docker shows it (`Restarting (1) …`, RestartCount + 1); a
   * container stopped with `docker stop` is never restarted.
   */
  async restartDelay(id: string, status: number, attempt: number): Promise<number | null> {
    const proc: ProcessRef = { pid: process.pid, token: processStartToken(process.pid) };
    return this.store.lock(async () => {
      const fresh = this.store.read(id);
      if (!fresh || fresh.host.AutoRemove) return null;
      const policy = fresh.host.RestartPolicy;
      const r = fresh.record;
      if (r.HasBeenManuallyStopped || r.State.Running) return null;
      const wanted =
        policy.Name === 'always' ||
        policy.Name === 'unless-stopped' ||
        (policy.Name === 'on-failure' && status !== 0 && (policy.MaximumRetryCount === 0 || r.RestartCount < policy.MaximumRetryCount));
      if (!wanted) return null;
      r.RestartCount += 1;
      r.State.Running = true;
      r.State.Restarting = true;
      r.State.ExitCode = status;
      r.Mydock.ProcessPid = proc.pid;
      r.Mydock.ProcessStart = proc.token;
      this.store.write(fresh);
      // Docker's back-off: 100 ms, doubled at each restart, at most a minute.
      return Math.min(100 * 2 ** attempt, 60_000);
    });
  }

  /** A restart that will not happen (the container was stopped meanwhile): back to exited. */
  async cancelRestart(id: string, status: number): Promise<void> {
    await this.store.lock(async () => {
      const fresh = this.store.read(id);
      if (!fresh || !fresh.record.State.Restarting) return;
      markExited(fresh.record, status);
      this.store.write(fresh);
    });
  }

  /** Records the end of a run (unless another run took over) and applies `--rm`. */
  async recordExit(id: string, proc: ProcessRef, status: number): Promise<void> {
    const autoRemove = await this.store.lock(async () => {
      const fresh = this.store.read(id);
      if (!fresh || !isRunBy(fresh.record, proc)) return false;
      markExited(fresh.record, status);
      fresh.record.Mydock.SizeRw = await this.computeSizeRw(id);
      this.store.write(fresh);
      return fresh.host.AutoRemove;
    });
    // The run's tmpfs mounts go with it.
    const volumes = await this.deps.volumes();
    const ended = this.store.read(id);
    if (ended && !ended.record.State.Running) volumes.resetTmpfs?.(ended);
    if (autoRemove) await this.remove(id, { force: true, volumes: true }).catch(() => undefined);
  }

  /** Starts the main program in a shim (`run -d`, `start`). The program's start errors are thrown here. */
  async startDetached(nameOrId: string): Promise<void> {
    const c = await this.get(nameOrId);
    if (c.record.State.Running) return;
    // Check in this process first, so that a bad command fails here with
    // Docker's text and status (and the container stays Created).
    const launcher = await this.deps.launcher();
    const signals = new ProcessSignals({ pid1: true });
    const { EmptyInput, NullOutput } = await import('../../runtime/streams.js');
    const quiet: Stdio = { stdin: new EmptyInput(), stdout: new NullOutput(), stderr: new NullOutput() };
    try {
      await launcher.prepare(await this.launchSpec(c, quiet, signals, [c.record.Path, ...c.record.Args]), 'main');
    } catch (err) {
      if (err instanceof DaemonError) {
        await this.store.update(c.record.ID, (fresh) => markStartFailed(fresh.record, err.message, err.runStatus === 125 ? 128 : err.runStatus));
      }
      throw err;
    }
    const shim = await this.deps.shim();
    await shim.spawn(this.deps.root.path, c.record.ID);
  }

  /**
   * Runs `argv` in a running container (`exec`), in this process. Resolves
   * to its exit status.
   */
  async exec(
    nameOrId: string,
    argv: string[],
    stdio: Stdio,
    signals: ProcessSignals,
    options: { env?: string[]; workdir?: string; user?: string; tty?: boolean; onStarted?: () => void } = {},
  ): Promise<number> {
    const c = await this.get(nameOrId);
    const id = c.record.ID;
    if (!c.record.State.Running) throw containerNotRunning(id);
    if (c.record.State.Paused) throw containerPausedExec(nameOrId);
    const launcher = await this.deps.launcher();
    const pid = await this.store.update(id, (fresh) => {
      const used = Object.keys(fresh.record.Mydock.Execs).map(Number);
      const next = Math.max(1, ...used) + 1 + Math.floor(Math.random() * 5);
      fresh.record.Mydock.Execs[String(next)] = { argv, startedAt: goTime(Date.now()), user: options.user ?? fresh.record.Config.User };
      return next;
    });
    try {
      const prepared = await launcher.prepare(
        await this.launchSpec(c, stdio, signals, argv, {
          env: [...(c.record.Config.Env ?? []), ...(options.env ?? [])],
          cwd: options.workdir ?? (c.record.Config.WorkingDir || '/'),
          user: options.user ?? c.record.Config.User,
          tty: options.tty === true,
          pid,
        }),
        'exec',
      );
      options.onStarted?.();
      return await prepared.run();
    } finally {
      await this.store.lock(async () => {
        const fresh = this.store.read(id);
        if (!fresh) return;
        delete fresh.record.Mydock.Execs[String(pid)];
        fresh.record.Mydock.SizeRw = await this.computeSizeRw(id);
        this.store.write(fresh);
      });
    }
  }

  /** `exec -d`: the process runs in a background shim; returns once it has started. */
  async execDetached(nameOrId: string, request: DetachedExec): Promise<void> {
    const c = await this.get(nameOrId);
    if (!c.record.State.Running) throw containerNotRunning(c.record.ID);
    if (c.record.State.Paused) throw containerPausedExec(nameOrId);
    const shim = await this.deps.shim();
    await shim.spawnExec(this.deps.root.path, c.record.ID, request);
  }

  // ---- signals -------------------------------------------------------------------

  /** Delivers a signal to the process running the container's program. */
  private signalRunner(c: Container, signal: SignalName): void {
    const pid = c.record.Mydock.ProcessPid;
    if (pid <= 0) return;
    try {
      if (c.record.State.Paused && signal !== 'STOP') process.kill(pid, 'SIGCONT');
      process.kill(pid, `SIG${signal}` as NodeJS.Signals);
    } catch {
      // Gone meanwhile: reconcile records the exit.
    }
  }

  /** SIGKILL: the runner cannot forward it, so the killer records status 137 itself. */
  private async killHard(c: Container): Promise<void> {
    const proc = { pid: c.record.Mydock.ProcessPid, token: c.record.Mydock.ProcessStart };
    if (proc.pid > 0 && proc.pid !== process.pid) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await this.recordExit(c.record.ID, proc, 137);
  }

  async kill(nameOrId: string, signalText = 'KILL'): Promise<void> {
    let c: Container;
    try {
      c = await this.get(nameOrId);
    } catch (err) {
      if (err instanceof DaemonError && err.code === 'NO_SUCH_CONTAINER') throw cannotKillMissing(nameOrId, err.message);
      throw err;
    }
    if (!c.record.State.Running) throw cannotKill(nameOrId, c.record.ID);
    const signal = parseSignal(signalText);
    if (signal === null) throw new DaemonError(`Invalid signal: ${signalText}`, 'BAD_SIGNAL');
    if (signal === 'KILL') return this.killHard(c);
    if (FORWARDED.has(signal) || signal === 'CONT' || signal === 'STOP') this.signalRunner(c, signal);
  }

  /** Waits until the container is not running; true if it stopped within `timeoutMs`. */
  async waitStopped(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = this.store.read(id);
      if (!c) return true;
      const fresh = await this.reconcile(c);
      if (!fresh.record.State.Running) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** `docker stop`: the stop signal, then SIGKILL after the timeout (default 10 s, or the container's StopTimeout). */
  async stop(nameOrId: string, timeoutSeconds?: number, signalText?: string): Promise<void> {
    const c = await this.get(nameOrId);
    if (!c.record.State.Running) return;
    const timeout = timeoutSeconds ?? c.record.Config.StopTimeout ?? 10;
    const signal = parseSignal(signalText ?? c.record.Config.StopSignal ?? 'TERM') ?? 'TERM';
    await this.store.update(c.record.ID, (fresh) => {
      fresh.record.HasBeenManuallyStopped = true;
    });
    if (signal !== 'KILL') {
      this.signalRunner(c, signal);
      if (timeout < 0 ? await this.waitStopped(c.record.ID, Number.MAX_SAFE_INTEGER) : await this.waitStopped(c.record.ID, timeout * 1000)) return;
    }
    await this.killHard(await this.get(c.record.ID));
  }

  async restart(nameOrId: string, timeoutSeconds?: number): Promise<void> {
    await this.stop(nameOrId, timeoutSeconds);
    await this.startDetached(nameOrId);
  }

  /** `docker wait`: blocks until the container is not running, then its exit code. */
  async wait(nameOrId: string): Promise<number> {
    const c = await this.get(nameOrId);
    await this.waitStopped(c.record.ID, Number.MAX_SAFE_INTEGER);
    const fresh = this.store.read(c.record.ID);
    return fresh ? fresh.record.State.ExitCode : c.record.State.ExitCode;
  }

  async pause(nameOrId: string): Promise<void> {
    const c = await this.get(nameOrId);
    if (!c.record.State.Running) throw containerNotRunning(c.record.ID);
    if (c.record.State.Paused) throw containerAlreadyPaused(c.record.ID);
    // A real freeze: the runner stops being scheduled, as a frozen cgroup.
    this.signalRunner(c, 'STOP');
    await this.store.update(c.record.ID, (fresh) => {
      fresh.record.State.Paused = true;
    });
  }

  async unpause(nameOrId: string): Promise<void> {
    const c = await this.get(nameOrId);
    if (!c.record.State.Running || !c.record.State.Paused) throw containerNotPaused(c.record.ID);
    await this.store.update(c.record.ID, (fresh) => {
      fresh.record.State.Paused = false;
    });
    this.signalRunner({ ...c, record: { ...c.record, State: { ...c.record.State, Paused: false } } }, 'CONT');
  }

  // ---- removal and names --------------------------------------------------------------

  async remove(nameOrId: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const c = await this.get(nameOrId);
    if (c.record.State.Running) {
      if (!options.force) throw removeRunningContainer(c.record.ID);
      await this.killHard(c);
    }
    const layers = await this.deps.layers();
    const volumes = await this.deps.volumes();
    await this.store.lock(async () => {
      const fresh = this.store.read(c.record.ID);
      if (!fresh) return;
      if (layers.getRwLayer(fresh.record.ID)) layers.removeRwLayer(fresh.record.ID);
      this.store.delete(fresh.record.ID);
      // After the record: a volume is "in use" while any container record names it.
      await volumes.release(fresh.record, options.volumes === true);
    });
  }

  async rename(nameOrId: string, newName: string): Promise<void> {
    const c = await this.get(nameOrId);
    const wanted = newName.replace(/^\//, '');
    if (!isValidName(wanted)) throw invalidContainerName(wanted);
    if (c.record.Name === `/${wanted}`) throw renameSameName();
    await this.store.lock(async () => {
      const holder = this.store.listed().find((o) => o.record.Name === `/${wanted}`);
      if (holder) throw renameConflict(nameConflict(wanted, holder.record.ID));
      const fresh = this.store.read(c.record.ID);
      if (!fresh) return;
      fresh.record.Name = `/${wanted}`;
      this.store.write(fresh);
    });
  }

  /** `container prune`: removes every container not running; returns their IDs and the space freed (their SizeRw). */
  async prune(filter: (c: Container) => boolean = () => true): Promise<{ deleted: string[]; reclaimed: number }> {
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const view of await this.list({ all: true })) {
      if (view.record.State.Running) continue;
      const c = this.store.read(view.record.ID);
      if (c === null || !filter(c)) continue;
      const size = await this.sizeRw(c);
      await this.remove(c.record.ID);
      deleted.push(c.record.ID);
      reclaimed += size;
    }
    return { deleted, reclaimed };
  }

  // ---- looking inside -------------------------------------------------------------------

  async diff(nameOrId: string): Promise<Change[]> {
    const c = await this.get(nameOrId);
    const layers = await this.deps.layers();
    return layers.rwChanges(c.record.ID);
  }

  async logs(nameOrId: string): Promise<{ container: Container; entries: LogEntry[] }> {
    const c = await this.get(nameOrId);
    return { container: c, entries: readLog(c.record.LogPath) };
  }

  /** NetworkSettings.Ports as inspect shows them (`port`): empty unless running. */
  async ports(nameOrId: string): Promise<Record<string, { HostIp: string; HostPort: string }[] | null>> {
    const c = await this.get(nameOrId);
    return c.record.State.Running ? publishedPorts(c) : {};
  }

  /** `docker inspect` of one container (`size`: SizeRw and SizeRootFs, as `--size`). */
  async inspect(nameOrId: string, size = false): Promise<Record<string, unknown>> {
    const c = await this.get(nameOrId);
    const layers = await this.deps.layers();
    const rw = layers.getRwLayer(c.record.ID);
    const extras: InspectExtras = { graphDriver: { Data: rw ? layers.driver.graphData(rw.mountId) : {}, Name: layers.driver.name } };
    if (size) {
      const images = await this.deps.images();
      extras.sizeRw = await this.sizeRw(c);
      extras.sizeRootFs = extras.sizeRw + (images.byId(c.record.Image)?.size ?? 0);
    }
    return inspectContainer(c, extras);
  }

  /**
   * `docker commit`: the writable layer becomes a layer of a new image whose
   * config is the container's (with `-c` changes applied); the history row
   * reads the container's command as CREATED BY and the message as COMMENT.
   * Mounted volumes are not in the writable layer, so they are not committed.
   */
  async commit(
    nameOrId: string,
    options: { reference?: string; message?: string; author?: string; changes?: string[] } = {},
  ): Promise<string> {
    const c = await this.get(nameOrId);
    const layers = await this.deps.layers();
    const images = await this.deps.images();
    const cfg = c.record.Config;
    const { applyChanges } = await import('./commit-changes.js');
    const runConfig = applyChanges(
      {
        Env: cfg.Env,
        Cmd: cfg.Cmd,
        Entrypoint: cfg.Entrypoint,
        WorkingDir: cfg.WorkingDir,
        User: cfg.User,
        Labels: cfg.Labels,
        Volumes: cfg.Volumes,
        ExposedPorts: cfg.ExposedPorts ?? null,
        OnBuild: cfg.OnBuild,
      },
      options.changes ?? [],
    );
    // The container's config (Image stays the reference it was created from), with the changes applied.
    const config: Record<string, unknown> = {
      ...cfg,
      User: runConfig.User ?? '',
      Env: runConfig.Env ?? null,
      Cmd: runConfig.Cmd ?? null,
      Volumes: runConfig.Volumes ?? null,
      WorkingDir: runConfig.WorkingDir ?? '',
      Entrypoint: runConfig.Entrypoint ?? null,
      OnBuild: runConfig.OnBuild ?? null,
      Labels: runConfig.Labels ?? {},
    };
    if (runConfig.ExposedPorts && Object.keys(runConfig.ExposedPorts).length > 0) config.ExposedPorts = runConfig.ExposedPorts;
    if (runConfig.StopSignal) config.StopSignal = runConfig.StopSignal;
    return images.commit({
      parentId: c.record.Image,
      layer: layers.exportRwLayer(c.record.ID),
      config,
      containerId: c.record.ID,
      containerConfig: cfg,
      author: options.author ?? '',
      comment: options.message ?? '',
      createdBy: [c.record.Path, ...c.record.Args].join(' '),
      reference: options.reference ?? null,
    });
  }

  /** `docker top`: the emulated processes of a running container. */
  async top(nameOrId: string): Promise<{ titles: string[]; processes: string[][] }> {
    const c = await this.get(nameOrId);
    if (!c.record.State.Running) throw containerNotRunning(c.record.ID);
    const started = new Date(c.record.State.StartedAt);
    const stime = `${String(started.getHours()).padStart(2, '0')}:${String(started.getMinutes()).padStart(2, '0')}`;
    const rows: string[][] = [];
    const who = (user: string): string => (user === '' || user === '0' ? 'root' : user.split(':')[0]!);
    const main = c.record.State.Pid;
    rows.push([who(c.record.Config.User), String(main), String(parentPid(main)), '0', stime, c.record.Config.Tty ? 'pts/0' : '?', '00:00:00', [c.record.Path, ...c.record.Args].join(' ')]);
    for (const [pid, e] of Object.entries(c.record.Mydock.Execs)) {
      const t = new Date(e.startedAt);
      rows.push([who(e.user), `${main}.${pid}`, String(main), '0', `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`, '?', '00:00:00', e.argv.join(' ')]);
    }
    return { titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes: rows };
  }

  /** `docker cp CONTAINER:SRC DEST`; returns the bytes copied. */
  async copyFrom(nameOrId: string, src: string, hostDest: string, options: CopyOptions = {}): Promise<number> {
    const c = await this.get(nameOrId);
    const pfs = (await this.containerFs(c)).forProcess('/');
    return copyOut(pfs, src, hostDest, nameOrId, options);
  }

  /** `docker cp SRC CONTAINER:DEST`; returns the bytes copied. */
  async copyTo(nameOrId: string, hostSrc: string, dest: string, options: CopyOptions = {}): Promise<number> {
    let c: Container;
    try {
      c = await this.get(nameOrId);
    } catch (err) {
      // docker/cli stats a destination ending in "/" before anything else.
      if (dest.endsWith('/') && (err as { code?: string }).code === 'NO_SUCH_CONTAINER') throw noSuchDirectory();
      throw err;
    }
    const pfs = (await this.containerFs(c)).forProcess('/');
    const bytes = copyIn(pfs, hostSrc, dest, nameOrId, options);
    if (!c.record.State.Running) {
      await this.store.update(c.record.ID, async (fresh) => {
        fresh.record.Mydock.SizeRw = await this.computeSizeRw(c.record.ID);
      });
    }
    return bytes;
  }

  /** `docker cp CONTAINER:SRC -`: the path as a tar stream. */
  async archiveFrom(nameOrId: string, src: string, followLink = false): Promise<Iterable<Buffer>> {
    const c = await this.get(nameOrId);
    const pfs = (await this.containerFs(c)).forProcess('/');
    const { tarOut } = await import('./copy-tar.js');
    // Resolve the first entry now, so that a missing path fails before anything is written.
    const chunks = [...tarOut(pfs, src, nameOrId, followLink)];
    return chunks;
  }

  /** `docker cp - CONTAINER:DEST`: a tar stream extracted into a directory. */
  async extractTo(nameOrId: string, dest: string, tar: AsyncIterable<Buffer>): Promise<void> {
    const c = await this.get(nameOrId);
    const pfs = (await this.containerFs(c)).forProcess('/');
    const { tarIn } = await import('./copy-tar.js');
    await tarIn(pfs, dest, tar);
    if (!c.record.State.Running) {
      await this.store.update(c.record.ID, async (fresh) => {
        fresh.record.Mydock.SizeRw = await this.computeSizeRw(c.record.ID);
      });
    }
  }

  async layerStore(): Promise<LayerStore> {
    return this.deps.layers();
  }

  async imagePort(): Promise<ImagePort> {
    return this.deps.images();
  }
}
