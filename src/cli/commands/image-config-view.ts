/**
 * An image's `Config` as `image inspect --format` templates see it. Docker
 * CLI 28 decodes the daemon's full container config into the OCI image
 * config type (dockerspec.DockerOCIImageConfig): only User, ExposedPorts,
 * Env, Entrypoint, Cmd, Volumes, WorkingDir, Labels, StopSignal,
 * ArgsEscaped, Healthcheck, OnBuild and Shell, every one `omitempty`. So
 * `{{json .Config}}` of an imported image is `{}`, while a field that is
 * unset still prints as its Go zero value (`{{.Config.Cmd}}` is `[]`).
 * The plain JSON output (no format, `--format json`) stays the daemon's.
 * Not reproduced: a template that mixes `{{json .Config}}` with a field
 * outside the OCI type, which Docker renders wholly from the raw JSON.
 */
import { goMap, goNil, type GoNil } from '../format/go/values.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function sorted(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** HealthcheckConfig: its fields are omitempty too. */
function healthJson(h: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries']) if (!isEmpty(h[k])) out[k] = h[k];
  return out;
}

export class ImageConfigView {
  constructor(private readonly c: Readonly<Record<string, unknown>>) {}

  private list(key: string): string[] | GoNil {
    const v = this.c[key];
    return Array.isArray(v) ? (v as string[]) : goNil('slice');
  }

  private map(key: string): Record<string, unknown> | GoNil {
    const v = this.c[key];
    return v && typeof v === 'object' && !Array.isArray(v) ? goMap(sorted(v as Record<string, unknown>)) : goNil('map');
  }

  private str(key: string): string {
    const v = this.c[key];
    return typeof v === 'string' ? v : '';
  }

  get User(): string {
    return this.str('User');
  }
  get ExposedPorts(): Record<string, unknown> | GoNil {
    return this.map('ExposedPorts');
  }
  get Env(): string[] | GoNil {
    return this.list('Env');
  }
  get Entrypoint(): string[] | GoNil {
    return this.list('Entrypoint');
  }
  get Cmd(): string[] | GoNil {
    return this.list('Cmd');
  }
  get Volumes(): Record<string, unknown> | GoNil {
    return this.map('Volumes');
  }
  get WorkingDir(): string {
    return this.str('WorkingDir');
  }
  get Labels(): Record<string, unknown> | GoNil {
    return this.map('Labels');
  }
  get StopSignal(): string {
    return this.str('StopSignal');
  }
  get ArgsEscaped(): boolean {
    return this.c.ArgsEscaped === true;
  }
  get Healthcheck(): Record<string, unknown> | GoNil {
    const h = this.c.Healthcheck;
    return h && typeof h === 'object' ? (h as Record<string, unknown>) : goNil('pointer');
  }
  get OnBuild(): string[] | GoNil {
    return this.list('OnBuild');
  }
  get Shell(): string[] | GoNil {
    return this.list('Shell');
  }

  // Fields of the daemon's container config that the OCI type lacks: Docker's template fails on
  // them and runs again on the raw JSON, where they are always present; the value is the same.
  get Hostname(): string {
    return this.str('Hostname');
  }
  get Domainname(): string {
    return this.str('Domainname');
  }
  get AttachStdin(): boolean {
    return this.c.AttachStdin === true;
  }
  get AttachStdout(): boolean {
    return this.c.AttachStdout === true;
  }
  get AttachStderr(): boolean {
    return this.c.AttachStderr === true;
  }
  get Tty(): boolean {
    return this.c.Tty === true;
  }
  get OpenStdin(): boolean {
    return this.c.OpenStdin === true;
  }
  get StdinOnce(): boolean {
    return this.c.StdinOnce === true;
  }
  get Image(): string {
    return this.str('Image');
  }

  /** `{{json .Config}}`: the OCI fields in their order, empty ones left out. */
  toJSON(): Record<string, Json> {
    const out: Record<string, Json> = {};
    const c = this.c;
    const put = (key: string, value: unknown): void => {
      if (!isEmpty(value)) out[key] = value as Json;
    };
    put('User', c.User);
    put('ExposedPorts', c.ExposedPorts ? sorted(c.ExposedPorts as Record<string, unknown>) : null);
    put('Env', c.Env);
    put('Entrypoint', c.Entrypoint);
    put('Cmd', c.Cmd);
    put('Volumes', c.Volumes ? sorted(c.Volumes as Record<string, unknown>) : null);
    put('WorkingDir', c.WorkingDir);
    put('Labels', c.Labels ? sorted(c.Labels as Record<string, unknown>) : null);
    put('StopSignal', c.StopSignal);
    put('ArgsEscaped', c.ArgsEscaped);
    const h = c.Healthcheck && typeof c.Healthcheck === 'object' ? healthJson(c.Healthcheck as Record<string, unknown>) : null;
    if (h) out.Healthcheck = h as Json;
    put('OnBuild', c.OnBuild);
    put('Shell', c.Shell);
    return out;
  }
}

/** The record with its Config as CLI 28's templates see it. */
export function forTemplates<T extends { Config?: unknown }>(record: T): T {
  const config = record.Config;
  if (!config || typeof config !== 'object') return record;
  return { ...record, Config: new ImageConfigView(config as Record<string, unknown>) };
}
