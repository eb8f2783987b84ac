/**
 * The top-level `docker inspect NAME`, as docker/cli resolves it
 * (cli/command/system/inspect.go): without `--type`, each kind is tried in
 * Docker's order (container, image, network, volume, then plugins and swarm
 * objects) and a "not found" (or an invalid reference, for images) moves on
 * to the next kind; a name found nowhere is `Error: No such object: NAME`.
 * With `--type`, only that kind is asked and its own daemon error is
 * reported ("No such container: x", "no such image: x: …", "get x: no such
 * volume"). mydock has containers, images and volumes; networks and plugins
 * are never found and swarm objects answer as a node outside a swarm does.
 */
import { ClientError, DaemonError, MydockError } from '../errors.js';
import type { Engine } from '../engine.js';
import { inspectImage } from '../images/index.js';

export const INSPECT_TYPES = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'] as const;
export type InspectType = (typeof INSPECT_TYPES)[number];

/** The kinds mydock has objects of, in the order Docker tries them. */
export type InspectKind = 'container' | 'image' | 'volume';

export interface InspectFound {
  kind: InspectKind;
  /** The record, laid out as Docker's JSON. */
  record: unknown;
}

export const unknownInspectType = (type: string) =>
  new ClientError(`unknown type: ${JSON.stringify(type)}: must be one of ${INSPECT_TYPES.map((t) => `"${t}"`).join(', ')}`, 'INVALID_TYPE', { type });

export const noSuchObject = (name: string) => new ClientError(`Error: No such object: ${name}`, 'NO_SUCH_OBJECT', { name });

const notSwarmManager = () =>
  new DaemonError(
    'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
    'NOT_SWARM_MANAGER',
  );

export function isInspectType(type: string): type is InspectType {
  return (INSPECT_TYPES as readonly string[]).includes(type);
}

/** docker/cli's isErrSkippable: the lookup failed because the name is not of this kind. */
function skippable(err: unknown): boolean {
  if (!(err instanceof MydockError)) return false;
  return /^NO_SUCH_|NOT_FOUND$/.test(err.code) || err.code === 'INVALID_REFERENCE' || err.message.includes('invalid reference format');
}

async function inspectKind(engine: Engine, type: InspectType, name: string, size: boolean): Promise<InspectFound> {
  switch (type) {
    case 'container':
      return { kind: 'container', record: await engine.containers.inspect(name, size) };
    case 'image':
      return { kind: 'image', record: inspectImage(await engine.imageStore(), name) };
    case 'volume':
      return { kind: 'volume', record: (await engine.volumes()).inspect(name) };
    case 'network':
      throw new DaemonError(`network ${name} not found`, 'NETWORK_NOT_FOUND', { name });
    case 'plugin':
      throw new DaemonError(`plugin ${JSON.stringify(name)} not found`, 'PLUGIN_NOT_FOUND', { name });
    default:
      throw notSwarmManager();
  }
}

/** The order Docker tries kinds in when no type is given (swarm kinds are skipped outside a swarm). */
const AUTODETECT: readonly InspectType[] = ['container', 'image', 'network', 'volume', 'plugin'];

/**
 * Looks one name up. Throws Docker's error for it: the kind's own daemon
 * error with a type, `Error: No such object: NAME` without.
 */
export async function inspectObject(engine: Engine, name: string, options: { type?: string; size?: boolean } = {}): Promise<InspectFound> {
  const size = options.size === true;
  if (options.type) {
    if (!isInspectType(options.type)) throw unknownInspectType(options.type);
    return inspectKind(engine, options.type, name, size);
  }
  for (const kind of AUTODETECT) {
    try {
      return await inspectKind(engine, kind, name, size);
    } catch (err) {
      if (!skippable(err)) throw err;
    }
  }
  throw noSuchObject(name);
}
