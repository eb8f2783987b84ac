/**
 * `docker import --change`: Dockerfile instructions applied to the new
 * image's config, as the daemon's dockerfile.BuildFromConfig does. The
 * changes are joined with newlines and parsed as a Dockerfile (so quoting,
 * escapes and `$VAR` substitution against the config's own ENV work as in a
 * build); only the metadata instructions are accepted, and nothing is run.
 */
import { DaemonError } from '../errors.js';
import type { ContainerConfig } from '../images/index.js';
import { parseDockerfile } from '../build/dockerfile/parser.js';
import { toInstruction, type CommandForm } from '../build/dockerfile/instructions.js';
import { expandWord, expandWords } from '../build/dockerfile/substitution.js';
import { parseGoDuration } from '../build/run-config.js';

/** builder/dockerfile's validCommitCommands. */
const VALID = new Set(['cmd', 'entrypoint', 'healthcheck', 'env', 'expose', 'label', 'onbuild', 'user', 'volume', 'workdir']);

const SHELL = ['/bin/sh', '-c'];

function envMap(c: ContainerConfig): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of c.Env ?? []) {
    const eq = e.indexOf('=');
    m.set(eq === -1 ? e : e.slice(0, eq), eq === -1 ? '' : e.slice(eq + 1));
  }
  return m;
}

function argv(form: CommandForm, c: ContainerConfig): string[] {
  return form.json ? [...form.args] : [...(c.Shell && c.Shell.length > 0 ? c.Shell : SHELL), form.command];
}

/** path.Join semantics for WORKDIR: relative to the current one, cleaned. */
function workdir(current: string | undefined, value: string): string {
  const joined = value.startsWith('/') ? value : `${current || '/'}/${value}`;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** "80" → "80/tcp"; a range "8000-8002/udp" becomes one key per port, as nat.ParsePortSpecs. */
function portKeys(spec: string): string[] {
  const slash = spec.lastIndexOf('/');
  const proto = slash === -1 ? 'tcp' : spec.slice(slash + 1).toLowerCase();
  const ports = slash === -1 ? spec : spec.slice(0, slash);
  const range = /^(\d+)-(\d+)$/.exec(ports);
  if (range) {
    const out: string[] = [];
    for (let p = Number(range[1]); p <= Number(range[2]); p++) out.push(`${p}/${proto}`);
    return out;
  }
  if (!/^\d+$/.test(ports)) throw new DaemonError(`invalid containerPort: ${ports}`, 'BAD_CHANGE');
  return [`${Number(ports)}/${proto}`];
}

/** Applies `changes` to a copy of `base` and returns it; throws Docker's error for a bad change. */
export function applyImportChanges(base: ContainerConfig, changes: readonly string[]): ContainerConfig {
  const c: ContainerConfig = JSON.parse(JSON.stringify(base)) as ContainerConfig;
  if (changes.length === 0) return c;
  const parsed = parseDockerfile(changes.join('\n'));
  const escape = parsed.directives.escape;
  for (const node of parsed.nodes) {
    if (!VALID.has(node.cmd)) throw new DaemonError(`${node.cmd} is not a valid change command`, 'BAD_CHANGE', { change: node.cmd });
  }
  let cmdSet = false;
  for (const node of parsed.nodes) {
    const ins = toInstruction(node, escape);
    const env = envMap(c);
    const word = (w: string) => expandWord(w, env, escape);
    switch (ins.kind) {
      case 'cmd':
        c.Cmd = argv(ins.command, c);
        cmdSet = true;
        break;
      case 'entrypoint':
        c.Entrypoint = argv(ins.command, c);
        // An ENTRYPOINT drops an inherited CMD unless this change set gave one.
        if (!cmdSet) c.Cmd = null;
        break;
      case 'env': {
        const list = [...(c.Env ?? [])];
        for (const p of ins.pairs) {
          const key = word(p.key);
          const entry = `${key}=${word(p.value)}`;
          const i = list.findIndex((e) => e === key || e.startsWith(`${key}=`));
          if (i === -1) list.push(entry);
          else list[i] = entry;
        }
        c.Env = list;
        break;
      }
      case 'label': {
        const labels = { ...(c.Labels ?? {}) };
        for (const p of ins.pairs) labels[word(p.key)] = word(p.value);
        c.Labels = labels;
        break;
      }
      case 'expose': {
        const ports = { ...(c.ExposedPorts ?? {}) };
        for (const spec of ins.ports.flatMap((p) => expandWords(p, env, escape))) for (const k of portKeys(spec)) ports[k] = {};
        c.ExposedPorts = ports;
        break;
      }
      case 'user':
        c.User = word(ins.value);
        break;
      case 'workdir':
        c.WorkingDir = workdir(c.WorkingDir, word(ins.value));
        break;
      case 'volume': {
        const vols = { ...(c.Volumes ?? {}) };
        for (const v of ins.paths) vols[word(v)] = {};
        c.Volumes = vols;
        break;
      }
      case 'onbuild':
        c.OnBuild = [...(c.OnBuild ?? []), ins.trigger.replace(/^\S+/, (w) => w.toUpperCase())];
        break;
      case 'healthcheck': {
        const o = ins.options;
        c.Healthcheck = {
          Test: ins.test,
          ...(o.interval ? { Interval: parseGoDuration(o.interval) } : {}),
          ...(o.timeout ? { Timeout: parseGoDuration(o.timeout) } : {}),
          ...(o['start-period'] ? { StartPeriod: parseGoDuration(o['start-period']) } : {}),
          ...(o.retries ? { Retries: Number(o.retries) } : {}),
        };
        break;
      }
      default:
        throw new DaemonError(`${node.cmd} is not a valid change command`, 'BAD_CHANGE', { change: node.cmd });
    }
  }
  return c;
}
