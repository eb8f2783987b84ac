/**
 * `docker commit -c`: the Dockerfile instructions commit accepts (CMD,
 * ENTRYPOINT, ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL), applied
 * to the committed image's config. Shell forms become ["/bin/sh","-c",…]
 * as the builder stores them.
 */
import { DaemonError } from '../errors.js';
import type { ImageRunConfig } from './ports.js';

type Config = ImageRunConfig & { StopSignal?: string };

function jsonOrShell(arg: string): string[] {
  const t = arg.trim();
  if (t.startsWith('[')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed as string[];
    } catch {
      // Not JSON: the shell form, as the builder falls back.
    }
  }
  return ['/bin/sh', '-c', t];
}

function unquote(s: string): string {
  return /^".*"$|^'.*'$/.test(s) ? s.slice(1, -1) : s;
}

/** `k=v k2="v 2"` pairs, or the legacy `k v` form. */
function pairs(arg: string): [string, string][] {
  const t = arg.trim();
  if (!/^[^\s=]+=/.test(t)) {
    const sp = t.search(/\s/);
    return sp === -1 ? [[t, '']] : [[t.slice(0, sp), t.slice(sp).trim()]];
  }
  const out: [string, string][] = [];
  for (const m of t.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) out.push([m[1]!, unquote(m[2]!)]);
  return out;
}

export function applyChanges(base: Config, changes: readonly string[]): Config {
  const cfg: Config = { ...base };
  // As in a build, a new ENTRYPOINT drops the CMD unless a CMD is given too.
  const setsCmd = changes.some((c) => /^\s*cmd\b/i.test(c));
  for (const change of changes) {
    const m = /^\s*(\w+)\s*(.*)$/s.exec(change);
    if (!m) continue;
    const word = m[1]!.toUpperCase();
    const arg = m[2]!;
    switch (word) {
      case 'CMD':
        cfg.Cmd = jsonOrShell(arg);
        break;
      case 'ENTRYPOINT':
        cfg.Entrypoint = jsonOrShell(arg);
        if (!setsCmd) cfg.Cmd = null;
        break;
      case 'ENV': {
        const env = [...(cfg.Env ?? [])];
        for (const [k, v] of pairs(arg)) {
          const i = env.findIndex((e) => e.split('=')[0] === k);
          if (i === -1) env.push(`${k}=${v}`);
          else env[i] = `${k}=${v}`;
        }
        cfg.Env = env;
        break;
      }
      case 'LABEL':
        cfg.Labels = { ...(cfg.Labels ?? {}), ...Object.fromEntries(pairs(arg)) };
        break;
      case 'WORKDIR':
        cfg.WorkingDir = arg.trim();
        break;
      case 'USER':
        cfg.User = arg.trim();
        break;
      case 'STOPSIGNAL':
        cfg.StopSignal = arg.trim();
        break;
      case 'EXPOSE': {
        const ports = { ...(cfg.ExposedPorts ?? {}) };
        for (const p of arg.trim().split(/\s+/)) ports[p.includes('/') ? p : `${p}/tcp`] = {};
        cfg.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const vols = { ...(cfg.Volumes ?? {}) };
        const list = arg.trim().startsWith('[') ? jsonOrShell(arg) : arg.trim().split(/\s+/);
        for (const v of list) vols[v] = {};
        cfg.Volumes = vols;
        break;
      }
      default:
        throw new DaemonError(`${word.toLowerCase()} is not a valid change command`, 'BAD_CHANGE');
    }
  }
  return cfg;
}
