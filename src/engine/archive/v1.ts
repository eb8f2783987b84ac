/**
 * The v1 image IDs and `json` files of the legacy archive layout (image/v1
 * CreateID): each layer of an image gets a v1 "image" whose ID is the
 * sha256 of its V1Image JSON (ID left out) with `layer_id` (the ChainID) and
 * `parent` (the previous v1 ID) added, keys sorted. Only the top layer
 * carries the image's own V1Image fields; the ones below are empty with a
 * zero Unix time, "for backward compatibility used for pre v1.9 docker".
 * The same image therefore gets the same directory names in Docker and
 * mydock.
 */
import { createHash } from 'node:crypto';
import { containerConfigValue, GoMap, goTime, marshalGo, type GoValue, type ImageConfig } from '../images/index.js';

/** image.V1Image, the fields a config shares with it. */
export type V1Image = Pick<
  ImageConfig,
  'comment' | 'created' | 'container' | 'container_config' | 'docker_version' | 'author' | 'config' | 'architecture' | 'variant' | 'os' | 'Size'
> & { id?: string; parent?: string };

const UNIX_ZERO = '1970-01-01T00:00:00Z';

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** V1Image as Go marshals the struct (declaration order, omitempty). */
function v1Fields(v: V1Image): Record<string, GoValue> {
  return {
    id: nonEmpty(v.id),
    parent: nonEmpty(v.parent),
    comment: nonEmpty(v.comment),
    created: goTime(v.created || UNIX_ZERO),
    container: nonEmpty(v.container),
    container_config: containerConfigValue(v.container_config ?? {}),
    docker_version: nonEmpty(v.docker_version),
    author: nonEmpty(v.author),
    config: v.config ? containerConfigValue(v.config) : undefined,
    architecture: nonEmpty(v.architecture),
    variant: nonEmpty(v.variant),
    os: nonEmpty(v.os),
    Size: v.Size ? v.Size : undefined,
  };
}

export function marshalV1(v: V1Image): Buffer {
  return Buffer.from(marshalGo(v1Fields(v)), 'utf8');
}

/** v1.CreateID: hex of the v1 ID. */
export function createV1Id(v: V1Image, chainId: string, parentV1: string | null): string {
  const fields = v1Fields({ ...v, id: undefined });
  const map: Record<string, GoValue> = Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined));
  map['layer_id'] = chainId;
  if (parentV1 !== null) map['parent'] = `sha256:${parentV1}`;
  return createHash('sha256').update(marshalGo(new GoMap<GoValue>(map))).digest('hex');
}

/** The V1Image part of an image config (what `img.V1Image` is in Go). */
export function v1Of(img: ImageConfig): V1Image {
  const { comment, created, container, container_config, docker_version, author, config, architecture, variant, os, Size } = img;
  return { comment, created, container, container_config, docker_version, author, config, architecture, variant, os, Size };
}

export { UNIX_ZERO };
