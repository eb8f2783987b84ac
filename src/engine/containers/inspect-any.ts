/**
 * The top-level `docker inspect NAME...`: each name is looked up as a
 * container, then an image, then a volume (Docker also tries networks,
 * nodes, services...: mydock has none). Names found nowhere are reported
 * as `Error: No such object: NAME` after the records that were found.
 */
export type ObjectType = 'container' | 'image' | 'volume';

/** One lookup per kind; each returns the inspect record or null when the name is not of that kind. */
export interface InspectSources {
  container(name: string, size: boolean): Promise<unknown | null>;
  image(name: string): Promise<unknown | null>;
  volume(name: string): Promise<unknown | null>;
}

export interface InspectAnyResult {
  records: unknown[];
  /** Messages for names not found, as Docker prints them ("Error: No such object: x"). */
  errors: string[];
}

const ORDER: readonly ObjectType[] = ['container', 'image', 'volume'];

export async function inspectAny(sources: InspectSources, names: readonly string[], options: { type?: ObjectType; size?: boolean } = {}): Promise<InspectAnyResult> {
  const records: unknown[] = [];
  const errors: string[] = [];
  const kinds = options.type ? [options.type] : ORDER;
  for (const name of names) {
    let found: unknown | null = null;
    for (const kind of kinds) {
      found = kind === 'container' ? await sources.container(name, options.size === true) : await sources[kind](name);
      if (found !== null) break;
    }
    if (found === null) errors.push(options.type ? `Error: No such ${options.type}: ${name}` : `Error: No such object: ${name}`);
    else records.push(found);
  }
  return { records, errors };
}

/** The container source, from the container service (an unknown name is null, other errors propagate). */
export function containerSource(inspect: (name: string, size: boolean) => Promise<Record<string, unknown>>): InspectSources['container'] {
  return async (name, size) => {
    try {
      return await inspect(name, size);
    } catch (err) {
      if ((err as { code?: string }).code === 'NO_SUCH_CONTAINER') return null;
      throw err;
    }
  };
}
