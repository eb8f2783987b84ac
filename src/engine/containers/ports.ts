/**
 * What the container service needs from the rest of the engine, as small
 * interfaces it owns. The adapters that bind them to the image service, the
 * volume service and the runtime live beside this file, so a change in one
 * of those services touches one adapter, never the container logic.
 */
import type { Digest } from '../../storage/layer-store.js';
import type { Mount } from '../../runtime/fs/mount-table.js';
import type { FsBackend, FsStat } from '../../storage/backend.js';
import type { Container, ContainerRecord, HostConfig, RequestedMount } from './types.js';

/** An image's run configuration, as its config JSON holds it (`config` in the OCI image config). */
export interface ImageRunConfig {
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, Record<string, never>> | null;
  ExposedPorts?: Record<string, Record<string, never>> | null;
  StopSignal?: string;
  OnBuild?: string[] | null;
  Shell?: string[] | null;
}

export interface ImageInfo {
  /** "sha256:<64 hex>" */
  id: string;
  config: ImageRunConfig;
  /** The ChainID of the image's top layer; null for an image without layers. */
  topLayer: Digest | null;
  /** The image's size as `docker images` shows it (sum of its layers). */
  size: number;
  repoTags: string[];
}

/** What the container service asks of images. */
export interface ImagePort {
  /** By reference or (short) ID, as the daemon resolves names it is sent; null when missing. Throws on a bad reference. */
  resolve(nameOrId: string): ImageInfo | null;
  /** The ID `resolve` would give, without reading the image; null when missing. Throws on a bad reference. */
  resolveId(nameOrId: string): string | null;
  /** By full image ID; null when the image is gone (rmi -f while a container used it). */
  byId(id: string): ImageInfo | null;
  /** Pulls `reference` (from the offline catalog), reporting Docker's progress lines. */
  pull?(reference: string, onLine: (line: string) => void): Promise<void>;
  /** Stores a new image on top of `parent` from a layer tar (commit). Returns its ID. */
  commit(request: CommitRequest): Promise<string>;
}

export interface CommitRequest {
  parentId: string;
  /** The container's writable-layer tar. */
  layer: NodeJS.ReadableStream;
  /** The image config's `config` for the new image. */
  config: ImageRunConfig & { Hostname?: string; Domainname?: string; Image?: string };
  containerId: string;
  /** The container's config, stored as `container_config` in the image config. */
  containerConfig: unknown;
  author: string;
  comment: string;
  /** The history row's CREATED BY: the container's command. */
  createdBy: string;
  /** "repo:tag" to tag the image with, or null. */
  reference: string | null;
}

/**
 * Container mounts, from the volume service. `prepare` turns the parsed
 * requests into what the container filesystem mounts and what `inspect`
 * shows; `release` is called on `rm` (with `removeAnonymous` for `-v`).
 */
export interface VolumePort {
  prepare(containerId: string, requests: RequestedMount[], host: HostConfig): Promise<PreparedMounts>;
  release(record: ContainerRecord, removeAnonymous: boolean): Promise<void>;
  /** The container filesystem mounts for a container's mount points (none when absent). */
  mounts?(c: Container, rootLstat: (path: string) => FsStat | null): Mount[];
  /**
   * Docker's populateVolumes, run once when the container is created: each
   * new, empty volume gets what the image has at its mount point. `rootfs`
   * is the container's root filesystem without any mounts.
   */
  populate?(record: ContainerRecord, rootfs: FsBackend): void;
  /** Empties the container's tmpfs mounts: called when it starts and when its run ends. */
  resetTmpfs?(c: Container): void;
}

export interface PreparedMounts {
  mountPoints: ContainerRecord['MountPoints'];
  anonymousVolumes: string[];
}

/** Until the volume service lands: containers get no mounts, and what was asked stays recorded. */
export const NO_VOLUMES: VolumePort = {
  async prepare() {
    return { mountPoints: {}, anonymousVolumes: [] };
  },
  async release() {},
};
