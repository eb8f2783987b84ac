/**
 * The offline catalog: the base images `mydock pull` can install without a
 * network, read from `fixtures/images/*.json` (see spec.ts). A catalog image
 * is found by repository and tag, or by its manifest digest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../../state/install-paths.js';
import { DEFAULT_DOMAIN, familiarName, type NamedReference } from '../reference/index.js';
import { computePins } from './generate.js';
import type { ImagePins, ImageSpec } from './spec.js';

/** `fixtures/images` at the package root, from src/ or from dist/ alike. */
export const DEFAULT_CATALOG_DIR = fixturesDir('images');

export interface CatalogImage {
  spec: ImageSpec;
  /** The fixture file it came from. */
  file: string;
}

export class Catalog {
  private images: CatalogImage[] | null = null;
  private readonly computed = new Map<ImageSpec, ImagePins>();

  constructor(readonly dir: string = DEFAULT_CATALOG_DIR) {}

  /** Every catalog image, in file-name order. */
  all(): CatalogImage[] {
    if (this.images) return this.images;
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.images = names.map((n) => {
      const file = path.join(this.dir, n);
      return { spec: JSON.parse(fs.readFileSync(file, 'utf8')) as ImageSpec, file };
    });
    return this.images;
  }

  /** Whether the repository exists at all (Docker Hub's "repository does not exist"). */
  hasRepository(ref: NamedReference): boolean {
    return ref.domain === DEFAULT_DOMAIN && this.all().some((i) => i.spec.repository === familiarName(ref));
  }

  /** The image a tag or digest reference names, or null. */
  find(ref: NamedReference): CatalogImage | null {
    if (ref.domain !== DEFAULT_DOMAIN) return null;
    const name = familiarName(ref);
    for (const img of this.all()) {
      if (img.spec.repository !== name) continue;
      if (ref.digest !== null) {
        if (this.pins(img.spec).digest === ref.digest) return img;
      } else if (img.spec.tags.includes(ref.tag ?? 'latest')) return img;
    }
    return null;
  }

  /** The pinned IDs, or (for a spec without pins) the ones generation gives. */
  pins(spec: ImageSpec): ImagePins {
    if (spec.pins) return spec.pins;
    let p = this.computed.get(spec);
    if (!p) {
      const c = computePins(spec);
      p = { diffIds: c.diffIds, id: c.id, digest: c.digest, size: c.size };
      this.computed.set(spec, p);
    }
    return p;
  }
}
