/**
 * The classic builder (Docker 20.10's `builder/dockerfile`), step by step:
 *
 *   Step N/M : <instruction as written>
 *   FROM        the base image (pulled from the catalog when missing), then
 *               its ONBUILD triggers; prints its ID
 *   every other instruction: probe the cache (a child of the current image
 *               made by the same instruction: same `container_config`), else
 *               run in an intermediate container and commit it; prints the
 *               new (or cached) image ID
 *
 * Every step's image is kept as an intermediate image whose parent is the
 * previous one, so `history` shows IDs and `rmi` deletes the chain. The first
 * cache miss of a stage turns the cache off until the next FROM.
 */
import type { ContainerConfig, Image, ImageStore } from '../images/index.js';
import type { Instruction, Stage } from './dockerfile/instructions.js';
import { readDockerfile, toInstruction } from './dockerfile/instructions.js';
import { parseDockerfile } from './dockerfile/parser.js';
import { expandWord, expandWords } from './dockerfile/substitution.js';
import { DaemonError } from '../errors.js';
import { compareTime } from '../go-time-order.js';
import { BuildArgs } from './build-args.js';
import { commitStep } from './commit.js';
import { CopyLayer } from './copy-layer.js';
import type { BuildContext } from './context/context.js';
import { performCopy, planCopy } from './copy.js';
import { BuildStepError, commandFailed } from './errors.js';
import type { BuildListener } from './events.js';
import {
  DEFAULT_PATH_ENV,
  cloneConfig,
  goList,
  goQuoteList,
  healthcheckComment,
  nopCmd,
  nopCmdString,
  parseGoDuration,
  sameForCache,
  shellOf,
} from './run-config.js';
import { ContextTree, ImageTree, type SourceTree } from './sources.js';
import type { StepContainers } from './step-containers.js';

export interface BuildRequest {
  context: BuildContext;
  dockerfileText: string;
  /** `--build-arg K=V` (value) or `--build-arg K` (null: taken from the environment by the CLI, or unset). */
  buildArgs?: ReadonlyMap<string, string | null>;
  target?: string;
  noCache?: boolean;
  /** `--label`: added as LABEL steps at the end of the last stage. */
  labels?: Readonly<Record<string, string>>;
  /** `--rm` (default true): remove each intermediate container after a successful step. */
  remove?: boolean;
  /** `--force-rm`: remove them after every step, failed ones too. */
  forceRemove?: boolean;
}

export interface BuildDeps {
  images: ImageStore;
  /** The intermediate containers, made by the containers engine. */
  containers: StepContainers;
  /** Pulls a missing base image from the catalog, reporting Docker's pull lines. */
  pull(ref: string, onLine: (line: string) => void): Promise<Image>;
}

interface StageState {
  name: string | null;
  image: Image | null;
  config: ContainerConfig;
  maintainer?: string;
  /** A CMD was given in this stage (an ENTRYPOINT then keeps it). */
  cmdSet?: boolean;
}

const SCRATCH = 'scratch';

export class ClassicBuilder {
  private cacheBusted = false;
  private readonly stages: StageState[] = [];
  private readonly args: BuildArgs;
  private step = 0;
  private total = 0;

  constructor(
    private readonly deps: BuildDeps,
    private readonly req: BuildRequest,
    private readonly emit: BuildListener,
  ) {
    this.args = new BuildArgs(req.buildArgs ?? new Map());
  }

  private get store(): ImageStore {
    return this.deps.images;
  }

  async build(): Promise<Image> {
    const df = readDockerfile(this.req.dockerfileText);
    let stages = df.stages;
    if (this.req.target !== undefined) {
      const i = stages.findIndex((s) => s.name === this.req.target!.toLowerCase());
      if (i === -1) throw new DaemonError(`failed to reach build target ${this.req.target} in Dockerfile`, 'BUILD_TARGET');
      stages = stages.slice(0, i + 1);
    }
    const labels = Object.keys(this.req.labels ?? {}).sort();
    this.total = df.metaArgs.length + stages.reduce((n, s) => n + 1 + s.instructions.length, 0) + labels.length;
    const last = stages[stages.length - 1]!;
    const labelSteps = labels.map((k) => labelInstruction(k, this.req.labels![k]!));

    for (const meta of df.metaArgs) {
      this.announce(meta.original);
      for (const a of meta.args) {
        const env = this.args.metaEnv();
        this.args.declareMeta(a.name, a.defaultValue === null ? null : expandWord(a.defaultValue, env, df.directives.escape));
      }
    }
    let state: StageState | null = null;
    for (const stage of stages) {
      state = await this.fromStep(stage, df.directives.escape);
      const instructions = stage === last ? [...stage.instructions, ...labelSteps] : stage.instructions;
      for (const ins of instructions) {
        this.announce(ins.original);
        await this.dispatch(state, ins, df.directives.escape);
        this.emit({ type: 'image', id: state.image!.id });
      }
      this.stages.push(state);
    }
    const unused = this.args.unconsumed();
    if (unused.length > 0) this.emit({ type: 'warning', text: `[Warning] One or more build-args [${unused.join(' ')}] were not consumed` });
    if (!state?.image) throw new BuildStepError('No image was generated. Is your Dockerfile empty?');
    this.emit({ type: 'built', id: state.image.id });
    return state.image;
  }

  private announce(text: string): void {
    this.step++;
    this.emit({ type: 'step', n: this.step, total: this.total, text });
  }

  // ---- FROM -----------------------------------------------------------------

  private async fromStep(stage: Stage, escape: string): Promise<StageState> {
    this.announce(stage.from.original);
    this.cacheBusted = false;
    this.args.resetStage();
    const name = expandWord(stage.from.image, this.args.metaEnv(), escape);
    let image: Image | null = null;
    const previous = this.stages.find((s) => s.name !== null && s.name === name.toLowerCase());
    if (previous) image = previous.image;
    else if (name.toLowerCase() !== SCRATCH) image = await this.baseImage(name);
    const config = cloneConfig(image?.config.config ?? {});
    if (!(config.Env ?? []).some((e) => e.startsWith('PATH='))) config.Env = [DEFAULT_PATH_ENV, ...(config.Env ?? [])];
    const state: StageState = { name: stage.name, image, config };
    const triggers = config.OnBuild ?? [];
    if (triggers.length > 0) {
      this.emit({ type: 'triggers', count: triggers.length });
      state.config.OnBuild = null;
      for (const text of triggers) {
        const parsed = parseDockerfile(text);
        for (const node of parsed.nodes) await this.dispatch(state, toInstruction(node, escape), escape);
      }
    }
    if (image) this.emit({ type: 'image', id: image.id });
    return state;
  }

  private async baseImage(name: string): Promise<Image> {
    try {
      return this.store.resolve(name);
    } catch (err) {
      if ((err as { code?: string }).code !== 'NO_SUCH_IMAGE') throw err;
    }
    return this.deps.pull(name, (line) => this.emit({ type: 'pull', line }));
  }

  // ---- the other instructions ------------------------------------------------

  /** The environment variables are substituted with: ENV, then the ARGs in effect. */
  private env(state: StageState): Map<string, string> {
    const env = new Map<string, string>();
    for (const kv of this.args.inEffect(state.config.Env ?? [])) env.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
    for (const kv of state.config.Env ?? []) {
      const i = kv.indexOf('=');
      env.set(i === -1 ? kv : kv.slice(0, i), i === -1 ? '' : kv.slice(i + 1));
    }
    return env;
  }

  private async dispatch(state: StageState, ins: Instruction, escape: string): Promise<void> {
    const env = this.env(state);
    const word = (w: string) => expandWord(w, env, escape);
    const c = state.config;
    switch (ins.kind) {
      case 'env': {
        const parts: string[] = [];
        for (const p of ins.pairs) {
          const key = word(p.key);
          const value = word(p.value);
          parts.push(`${key}=${value}`);
          const list = c.Env ?? [];
          const i = list.findIndex((e) => e.split('=')[0] === key);
          if (i === -1) list.push(`${key}=${value}`);
          else list[i] = `${key}=${value}`;
          c.Env = list;
        }
        return this.commitMeta(state, `ENV ${parts.join(' ')}`);
      }
      case 'label': {
        const parts: string[] = [];
        c.Labels ??= {};
        for (const p of ins.pairs) {
          const key = word(p.key);
          const value = word(p.value);
          c.Labels[key] = value;
          parts.push(`${key}=${value}`);
        }
        return this.commitMeta(state, `LABEL ${parts.join(' ')}`);
      }
      case 'maintainer':
        state.maintainer = ins.value;
        return this.commitMeta(state, `MAINTAINER ${ins.value}`);
      case 'expose': {
        const ports = ins.ports.flatMap((p) => expandWords(p, env, escape));
        c.ExposedPorts ??= {};
        for (const p of ports) c.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
        return this.commitMeta(state, `EXPOSE ${[...ports].sort().join(' ')}`);
      }
      case 'user':
        c.User = word(ins.value);
        return this.commitMeta(state, `USER ${c.User}`);
      case 'stopsignal':
        c.StopSignal = word(ins.value);
        return this.commitMeta(state, `STOPSIGNAL ${c.StopSignal}`);
      case 'volume': {
        const paths = ins.paths.map(word);
        c.Volumes ??= {};
        for (const p of paths) c.Volumes[p] = {};
        return this.commitMeta(state, `VOLUME ${goList(paths)}`);
      }
      case 'shell':
        c.Shell = ins.shell;
        return this.commitMeta(state, `SHELL ${goList(ins.shell)}`);
      case 'cmd':
      case 'entrypoint': {
        const argv = ins.command.json ? ins.command.args : [...shellOf(c), ins.command.command];
        if (ins.kind === 'cmd') c.Cmd = argv;
        else {
          c.Entrypoint = argv;
          // An ENTRYPOINT resets a CMD inherited from the base image (not one set in this stage).
          if (!state.cmdSet) c.Cmd = null;
        }
        if (ins.kind === 'cmd') state.cmdSet = true;
        return this.commitMeta(state, `${ins.kind.toUpperCase()} ${goQuoteList(argv)}`);
      }
      case 'healthcheck': {
        if (ins.test && ins.test[0] === 'NONE') c.Healthcheck = { Test: ['NONE'] };
        else {
          const h: NonNullable<ContainerConfig['Healthcheck']> = { Test: ins.test ?? [] };
          const o = ins.options;
          if (o.interval) h.Interval = parseGoDuration(o.interval);
          if (o.timeout) h.Timeout = parseGoDuration(o.timeout);
          if (o['start-period']) h.StartPeriod = parseGoDuration(o['start-period']);
          if (o.retries) h.Retries = Number(o.retries);
          c.Healthcheck = h;
        }
        return this.commitMeta(state, healthcheckComment(c.Healthcheck));
      }
      case 'onbuild':
        c.OnBuild = [...(c.OnBuild ?? []), ins.trigger];
        return this.commitMeta(state, `ONBUILD ${ins.trigger}`);
      case 'arg': {
        const texts: string[] = [];
        for (const a of ins.args) {
          const def = a.defaultValue === null ? null : word(a.defaultValue);
          this.args.declare(a.name, def);
          texts.push(def === null ? a.name : `${a.name}=${def}`);
        }
        return this.commitMeta(state, `ARG ${texts.join(' ')}`);
      }
      case 'workdir':
        return this.workdir(state, word(ins.value));
      case 'run':
        return this.run(state, ins);
      case 'copy':
      case 'add':
        return this.copy(state, ins, env, escape);
      case 'from':
        throw new BuildStepError('FROM is not allowed here');
    }
  }

  /** A cached child of the current image made with the same step config, or null (and the cache is off from then on). */
  private probe(state: StageState, stepConfig: ContainerConfig): Image | null {
    if (this.req.noCache || this.cacheBusted) return null;
    const parentId = state.image?.id ?? null;
    const candidates = parentId === null ? this.store.all().filter((i) => i.parent === null && i.config.container_config) : this.store.children(parentId).map((id) => this.store.get(id)).filter((i): i is Image => i !== null);
    let match: Image | null = null;
    for (const img of candidates) {
      const cc = img.config.container_config;
      if (!cc || !sameForCache(cc, stepConfig)) continue;
      if (!match || compareTime(match.config.created, img.config.created) < 0) match = img;
    }
    if (!match) {
      this.cacheBusted = true;
      return null;
    }
    this.emit({ type: 'cache' });
    state.image = match;
    return match;
  }

  /** Docker's dispatch defer: `--force-rm` removes the step's containers even when it failed, `--rm` after a success. */
  private get removeOnSuccess(): boolean {
    return this.req.remove !== false || this.req.forceRemove === true;
  }

  /**
   * A step in an intermediate container (Docker's probeAndCreate, then the
   * step's work, then commitContainer): created from the step config, so a
   * metadata step's config also gets the container's hostname.
   */
  private async inContainer(state: StageState, stepConfig: ContainerConfig, createConfig: ContainerConfig, work: (id: string) => Promise<boolean>): Promise<void> {
    const steps = this.deps.containers;
    const id = await steps.create(state.image?.id ?? '', createConfig);
    const shortId = id.slice(0, 12);
    this.emit({ type: 'running', containerId: shortId });
    let ok = false;
    try {
      const wrote = await work(id);
      const move = this.removeOnSuccess;
      state.image = await commitStep(this.store, {
        parent: state.image,
        container: { containerId: id, hasLayer: wrote, commitLayer: (parent) => steps.commitLayer(id, parent, move) },
        config: state.config,
        containerConfig: stepConfig,
        hostnameInContainerConfig: createConfig === stepConfig,
        author: state.maintainer,
      });
      ok = true;
    } finally {
      if (this.req.forceRemove === true || (ok && this.req.remove !== false)) {
        await steps.remove(id);
        this.emit({ type: 'removing', containerId: shortId });
      }
    }
  }

  /** A metadata-only step: an intermediate container, created and never started, committed with the `#(nop)` comment. */
  private async commitMeta(state: StageState, comment: string): Promise<void> {
    const stepConfig = cloneConfig({ ...state.config, Cmd: nopCmd(state.config, comment) });
    if (this.probe(state, stepConfig)) return;
    await this.inContainer(state, stepConfig, stepConfig, async () => false);
  }

  private async workdir(state: StageState, value: string): Promise<void> {
    const c = state.config;
    const base = c.WorkingDir || '/';
    const joined = value.startsWith('/') ? value : `${base.replace(/\/$/, '')}/${value}`;
    c.WorkingDir = normalize(joined);
    const stepConfig = cloneConfig({ ...c, Cmd: nopCmdString(c, `WORKDIR ${c.WorkingDir}`) });
    if (this.probe(state, stepConfig)) return;
    // Docker creates the directory in the container's root filesystem (ContainerCreateWorkdir): a layer when it was missing.
    await this.inContainer(state, stepConfig, stepConfig, async (id) => {
      const fs = this.deps.containers.rootFs(id);
      if (fs.exists(c.WorkingDir!)) return false;
      fs.mkdir(c.WorkingDir!, { recursive: true, mode: 0o755 });
      return true;
    });
  }

  private async run(state: StageState, ins: Extract<Instruction, { kind: 'run' }>): Promise<void> {
    if (ins.buildkitOnlyFlag) {
      const { buildkitOnly } = await import('./errors.js');
      throw buildkitOnly(ins.buildkitOnlyFlag);
    }
    const c = state.config;
    const argv = ins.command.json ? ins.command.args : [...shellOf(c), ins.command.command];
    const inEffect = this.args.inEffect(c.Env ?? []);
    let saveCmd = argv;
    if (inEffect.length > 0) {
      const recorded = inEffect.filter((kv) => this.args.recordable(kv.split('=')[0]!)).sort();
      saveCmd = [`|${recorded.length}`, ...recorded, ...argv];
    }
    const stepConfig = cloneConfig({ ...c, Cmd: saveCmd, Entrypoint: null });
    if (this.probe(state, stepConfig)) return;
    // The container runs the command itself, with the build args in its environment and no entrypoint or healthcheck.
    const runConfig = cloneConfig({ ...c, Cmd: argv, Env: [...(c.Env ?? []), ...inEffect], Entrypoint: [''], Healthcheck: null });
    await this.inContainer(state, stepConfig, runConfig, async (id) => {
      const status = await this.deps.containers.run(id, (stream, data) => this.emit({ type: 'output', stream, data }));
      if (status !== 0) throw commandFailed(argv, status);
      return true;
    });
  }

  private async copy(state: StageState, ins: Extract<Instruction, { kind: 'copy' | 'add' }>, env: Map<string, string>, escape: string): Promise<void> {
    const cmd = ins.kind === 'copy' ? 'COPY' : 'ADD';
    const sources = ins.sources.map((s) => expandWord(s, env, escape));
    const dest = expandWord(ins.dest, env, escape);
    let tree: SourceTree;
    let release = (): void => {};
    if (ins.from !== null) {
      const from = await this.copySourceImage(expandWord(ins.from, env, escape));
      const ctr = new CopyLayer(this.store.layers, from?.topLayer ?? null);
      tree = new ImageTree(await ctr.rootFs());
      release = () => ctr.remove();
    } else tree = new ContextTree(this.req.context);
    try {
      const plan = planCopy(cmd, tree, sources, dest, ins.from === null);
      const chown = ins.chown !== null ? expandWord(ins.chown, env, escape) : null;
      const comment = `${cmd} ${chown !== null ? `--chown=${chown}` : ''}${plan.hash} in ${dest} `;
      const stepConfig = cloneConfig({ ...state.config, Cmd: nopCmdString(state.config, comment) });
      if (this.probe(state, stepConfig)) return;
      const absDest = dest.startsWith('/') ? dest : `${(state.config.WorkingDir || '/').replace(/\/$/, '')}/${dest}`;
      // COPY and ADD write into a bare layer, not a container (Docker's performCopy).
      const layer = new CopyLayer(this.store.layers, state.image?.topLayer ?? null);
      try {
        const fs = await layer.rootFs();
        let owner: { uid: number; gid: number } | null = null;
        if (chown !== null) {
          const { resolveUser } = await import('../containers/runtime-launcher.js');
          try {
            owner = resolveUser(fs, chown);
          } catch {
            throw new BuildStepError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${chown.split(':')[0]}: no such user: ${chown.split(':')[0]}`);
          }
        }
        const chmod = ins.chmod !== null ? parseInt(ins.chmod, 8) : null;
        if (chmod !== null && (Number.isNaN(chmod) || !/^[0-7]{1,4}$/.test(ins.chmod!))) throw new BuildStepError(`invalid chmod parameter: ${ins.chmod}`);
        await performCopy(fs, tree, plan, { cmd, dest: absDest, owner, chmod, direct: (dir) => layer.directTree(dir) });
        state.image = await commitStep(this.store, {
          parent: state.image,
          container: { containerId: null, hasLayer: layer.hasLayer, commitLayer: (parent) => layer.commitLayer(parent) },
          config: state.config,
          containerConfig: stepConfig,
          hostnameInContainerConfig: false,
          author: state.maintainer,
        });
      } finally {
        layer.remove();
      }
    } finally {
      release();
    }
  }

  /** `--from=`: a stage by name or index, else an image (pulled when missing). */
  private async copySourceImage(from: string): Promise<Image | null> {
    if (/^\d+$/.test(from)) {
      const s = this.stages[Number(from)];
      if (!s) throw new BuildStepError(`invalid from flag value ${from}: refers to current build stage`);
      return s.image;
    }
    const named = this.stages.find((s) => s.name === from.toLowerCase());
    if (named) return named.image;
    return this.baseImage(from);
  }
}

function normalize(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function labelInstruction(key: string, value: string): Instruction {
  const quoted = /[\s"'\\$]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return { kind: 'label', original: `LABEL ${key}=${quoted}`, line: 0, pairs: [{ key, value }] } as Instruction;
}
