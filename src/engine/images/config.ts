/**
 * The image config: the JSON document whose sha256 is the image ID
 * (`<root>/image/<driver>/imagedb/content/sha256/<id>`).
 *
 * Field names are Docker's own (the JSON keys), so the types read like the
 * files and the API. `marshalImageConfig` writes them as Docker 20.10 does
 * (moby `image.Image.MarshalJSON`): top-level keys sorted, nested structs in
 * Go declaration order, `omitempty` rules of each field, Go string escaping.
 * Configs that come from outside (load, catalog fixtures) keep their bytes;
 * only configs mydock creates are marshalled here.
 */
import { GoMap, goTime, marshalGo, type GoValue } from './gojson.js';

/** A Go `map[string]struct{}` (ExposedPorts, Volumes): `{"80/tcp":{}}`. */
export type EmptyStructSet = Record<string, Record<string, never>>;

export interface HealthConfig {
  Test?: string[] | null;
  /** Durations in nanoseconds, as Go's time.Duration. */
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

/** Docker's container.Config (API 1.41), as stored in image configs. */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: EmptyStructSet | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: HealthConfig | null;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: EmptyStructSet | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  NetworkDisabled?: boolean;
  MacAddress?: string;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  Shell?: string[] | null;
}

export interface HistoryEntry {
  /** RFC 3339 with up to nanoseconds, UTC. */
  created?: string;
  author?: string;
  created_by?: string;
  comment?: string;
  /** A metadata-only instruction (ENV, CMD, LABEL, ...): no layer. */
  empty_layer?: boolean;
}

export interface RootFS {
  type: string;
  /** "sha256:…" DiffIDs, base layer first. */
  diff_ids?: string[];
}

/** Docker's image.Image (V1Image fields + rootfs/history). */
export interface ImageConfig {
  id?: string;
  parent?: string;
  comment?: string;
  created: string;
  container?: string;
  container_config?: ContainerConfig;
  docker_version?: string;
  author?: string;
  config?: ContainerConfig | null;
  architecture?: string;
  variant?: string;
  os?: string;
  Size?: number;
  rootfs?: RootFS;
  history?: HistoryEntry[];
  'os.version'?: string;
  'os.features'?: string[];
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

function str(v: string | undefined): string {
  return v ?? '';
}
function omitStr(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
function omitBool(v: boolean | undefined): boolean | undefined {
  return v ? true : undefined;
}
function nullableList(v: string[] | null | undefined): string[] | null {
  return v ?? null;
}
function omitList(v: string[] | null | undefined): string[] | undefined {
  return v === null || v === undefined || v.length === 0 ? undefined : v;
}
function goSet(v: EmptyStructSet | null | undefined): GoMap<GoValue> | null {
  return v ? new GoMap<GoValue>(Object.fromEntries(Object.keys(v).map((k) => [k, {}]))) : null;
}
function omitSet(v: EmptyStructSet | null | undefined): GoMap<GoValue> | undefined {
  return v && Object.keys(v).length > 0 ? goSet(v)! : undefined;
}
function omitNum(v: number | undefined): number | undefined {
  return v === undefined || v === 0 ? undefined : v;
}

function healthValue(h: HealthConfig): GoValue {
  return {
    Test: omitList(h.Test),
    Interval: omitNum(h.Interval),
    Timeout: omitNum(h.Timeout),
    StartPeriod: omitNum(h.StartPeriod),
    Retries: omitNum(h.Retries),
  };
}

/** container.Config in Go field order, with its omitempty rules. */
export function containerConfigValue(c: ContainerConfig): GoValue {
  return {
    Hostname: str(c.Hostname),
    Domainname: str(c.Domainname),
    User: str(c.User),
    AttachStdin: c.AttachStdin ?? false,
    AttachStdout: c.AttachStdout ?? false,
    AttachStderr: c.AttachStderr ?? false,
    ExposedPorts: omitSet(c.ExposedPorts),
    Tty: c.Tty ?? false,
    OpenStdin: c.OpenStdin ?? false,
    StdinOnce: c.StdinOnce ?? false,
    Env: nullableList(c.Env),
    Cmd: nullableList(c.Cmd),
    Healthcheck: c.Healthcheck ? healthValue(c.Healthcheck) : undefined,
    ArgsEscaped: omitBool(c.ArgsEscaped),
    Image: str(c.Image),
    Volumes: goSet(c.Volumes),
    WorkingDir: str(c.WorkingDir),
    Entrypoint: nullableList(c.Entrypoint),
    NetworkDisabled: omitBool(c.NetworkDisabled),
    MacAddress: omitStr(c.MacAddress),
    OnBuild: nullableList(c.OnBuild),
    Labels: c.Labels ? new GoMap<GoValue>(c.Labels) : null,
    StopSignal: omitStr(c.StopSignal),
    StopTimeout: c.StopTimeout ?? undefined,
    Shell: omitList(c.Shell),
  };
}

function historyValue(h: HistoryEntry): GoValue {
  return {
    created: h.created !== undefined ? goTime(h.created) : undefined,
    author: omitStr(h.author),
    created_by: omitStr(h.created_by),
    comment: omitStr(h.comment),
    empty_layer: omitBool(h.empty_layer),
  };
}

/** The config bytes Docker would write for `img`. */
export function marshalImageConfig(img: ImageConfig): Buffer {
  // image.Image.MarshalJSON marshals the struct, then re-marshals it as a map:
  // the top-level keys come out sorted, nested values keep their order.
  const top: Record<string, GoValue> = {
    id: omitStr(img.id),
    parent: omitStr(img.parent),
    comment: omitStr(img.comment),
    created: goTime(img.created || ZERO_TIME),
    container: omitStr(img.container),
    container_config: containerConfigValue(img.container_config ?? {}),
    docker_version: omitStr(img.docker_version),
    author: omitStr(img.author),
    config: img.config ? containerConfigValue(img.config) : undefined,
    architecture: omitStr(img.architecture),
    variant: omitStr(img.variant),
    os: omitStr(img.os),
    Size: omitNum(img.Size),
    rootfs: img.rootfs
      ? { type: img.rootfs.type, diff_ids: omitList(img.rootfs.diff_ids) }
      : undefined,
    history: img.history && img.history.length > 0 ? img.history.map(historyValue) : undefined,
    'os.version': omitStr(img['os.version']),
    'os.features': omitList(img['os.features']),
  };
  const present = Object.fromEntries(Object.entries(top).filter(([, v]) => v !== undefined));
  return Buffer.from(marshalGo(new GoMap<GoValue>(present)), 'utf8');
}

/** Reads config bytes; throws when they are not an image config. */
export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('invalid image JSON: not an object');
  }
  const img = value as ImageConfig;
  if (img.rootfs !== undefined && (typeof img.rootfs !== 'object' || img.rootfs === null)) {
    throw new Error('invalid image JSON: bad rootfs');
  }
  // StrSlice fields accept a bare string in Docker.
  for (const c of [img.config, img.container_config]) {
    if (!c) continue;
    for (const key of ['Cmd', 'Entrypoint', 'Shell'] as const) {
      const v: unknown = c[key];
      if (typeof v === 'string') c[key] = [v];
    }
  }
  return img;
}

/** The DiffIDs of an image, base first. */
export function diffIdsOf(img: ImageConfig): string[] {
  return img.rootfs?.diff_ids ?? [];
}
