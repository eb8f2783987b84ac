/**
 * `docker image inspect`: the engine's ImageInspect object, keys in Docker's
 * order, maps with sorted keys, so the CLI can print it with Go's JSON rules.
 * A failed lookup is framed as the 20.10 engine frames it for inspect:
 * "no such image: <name>: <reason>".
 */
import { inspectNoSuchImage, MydockError } from '../errors.js';
import { containerConfigValue, type ContainerConfig } from './config.js';
import { GoMap, goTime, type GoValue } from './gojson.js';
import type { ImageStore } from './store.js';
import type { Image } from './types.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  Container: string;
  ContainerConfig: JsonValue;
  DockerVersion: string;
  Author: string;
  Config: JsonValue;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  VirtualSize: number;
  GraphDriver: { Data: Record<string, string> | null; Name: string };
  RootFS: { Type: string; Layers?: string[] };
  Metadata: { LastTagTime: string };
}

export function inspectImage(store: ImageStore, name: string): ImageInspect {
  let img: Image;
  try {
    img = store.resolve(name);
  } catch (err) {
    if (err instanceof MydockError) throw inspectNoSuchImage(name, err.message);
    throw err;
  }
  return imageInspectOf(store, img);
}

export function imageInspectOf(store: ImageStore, img: Image): ImageInspect {
  const c = img.config;
  const size = store.size(img);
  const out: ImageInspect = {
    Id: img.id,
    RepoTags: store.repoTags(img.id),
    RepoDigests: store.repoDigests(img.id),
    Parent: img.parent ?? '',
    Comment: commentOf(c),
    Created: goTime(c.created || ZERO_TIME),
    Container: c.container ?? '',
    ContainerConfig: configJson(c.container_config ?? {}),
    DockerVersion: c.docker_version ?? '',
    Author: c.author ?? '',
    Config: c.config ? configJson(c.config) : null,
    Architecture: c.architecture ?? '',
    Os: c.os ?? '',
    Size: size,
    VirtualSize: size,
    GraphDriver: graphDriver(store, img),
    RootFS: { Type: c.rootfs?.type ?? '' },
    Metadata: { LastTagTime: img.lastTagTime ?? ZERO_TIME },
  };
  if (c.variant) out.Variant = c.variant;
  if (c['os.version']) out.OsVersion = c['os.version'];
  const layers = c.rootfs?.diff_ids ?? [];
  if (layers.length > 0) out.RootFS.Layers = [...layers];
  return reorder(out);
}

/**
 * The daemon's LookupImage: the config's comment, else the last history
 * row's (a commit records its `-m` message only there).
 */
function commentOf(c: Image['config']): string {
  const history = c.history ?? [];
  return c.comment || (history.length > 0 ? (history[history.length - 1]!.comment ?? '') : '');
}

/** Keeps Docker's key order although the optional keys were added last. */
function reorder(i: ImageInspect): ImageInspect {
  const order = [
    'Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Container', 'ContainerConfig',
    'DockerVersion', 'Author', 'Config', 'Architecture', 'Variant', 'Os', 'OsVersion', 'Size',
    'VirtualSize', 'GraphDriver', 'RootFS', 'Metadata',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const k of order) if (i[k] !== undefined) out[k] = i[k];
  return out as unknown as ImageInspect;
}

function graphDriver(store: ImageStore, img: Image): ImageInspect['GraphDriver'] {
  const driver = store.layers.driver;
  if (img.topLayer === null) return { Data: null, Name: driver.name };
  const layer = store.layers.get(img.topLayer);
  if (!layer) return { Data: null, Name: driver.name };
  const data = driver.graphData(layer.cacheId);
  return { Data: Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]!])), Name: driver.name };
}

/** container.Config as the API shows it: every non-omitempty field, maps sorted. */
export function configJson(c: ContainerConfig): JsonValue {
  return toJson(containerConfigValue(c));
}

function toJson(v: GoValue): JsonValue {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof GoMap) {
    const entries = v.entries as Record<string, GoValue>;
    return Object.fromEntries(Object.keys(entries).sort().map((k) => [k, toJson(entries[k])]));
  }
  if (Array.isArray(v)) return v.map((x: GoValue) => toJson(x));
  const obj = v as { readonly [key: string]: GoValue };
  const out: { [key: string]: JsonValue } = {};
  for (const k of Object.keys(obj)) if (obj[k] !== undefined) out[k] = toJson(obj[k]);
  return out;
}
