/**
 * Committing a build step: the step container's writable layer becomes a
 * layer on the parent image's (or no layer, when nothing changed: the
 * history row is then `empty_layer`), and a new image config is stored with
 * the parent recorded, as the daemon's CommitBuildStep does. The config is
 * what Docker 20.10 writes: the state's config as `config`, the step's
 * config (its `#(nop)` or RUN command) as `container_config`, the container
 * ID, no `parent` key (the parent lives in the image store's metadata).
 */
import type { Digest, Layer } from '../../storage/layer-store.js';
import type { ContainerConfig, HistoryEntry, Image, ImageConfig, ImageStore } from '../images/index.js';
import { cloneConfig } from './run-config.js';

/** The DiffID of a layer with no changes (1024 zero bytes). */
export const EMPTY_LAYER_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

export const DOCKER_VERSION = '20.10.24+dfsg1';

/** What a step wrote into: an intermediate container, or COPY's bare layer. */
export interface StepWork {
  /** The intermediate container's ID (the image's `container`); null for COPY/ADD, which run in none. */
  containerId: string | null;
  /** Whether anything could have been written (else the changeset is empty without looking). */
  hasLayer: boolean;
  commitLayer(parent: Digest | null): Promise<Layer>;
}

export interface StepCommit {
  parent: Image | null;
  container: StepWork;
  /** The state's config after the step. */
  config: ContainerConfig;
  /** The step's config (Cmd = the `#(nop)` comment or the RUN command). */
  containerConfig: ContainerConfig;
  /**
   * The step config is the very object ContainerCreate filled in (metadata
   * steps and WORKDIR; RUN creates from a copy, COPY creates nothing): it
   * then holds the container's hostname and an empty label map.
   */
  hostnameInContainerConfig: boolean;
  author?: string;
}

export async function commitStep(store: ImageStore, step: StepCommit): Promise<Image> {
  const parentConfig: Partial<ImageConfig> = step.parent?.config ?? {};
  let diffId = EMPTY_LAYER_DIFF_ID;
  if (step.container.hasLayer) {
    const parentTop = step.parent?.topLayer ?? null;
    const layer = await step.container.commitLayer(parentTop);
    diffId = layer.diffId;
    // Docker registers the empty changeset too and releases it at once: no image holds it.
    if (diffId === EMPTY_LAYER_DIFF_ID && !store.heldLayers().has(layer.chainId)) store.layers.remove(layer.chainId);
  }
  const empty = diffId === EMPTY_LAYER_DIFF_ID;
  const created = store.now();
  const row: HistoryEntry = { created };
  if (step.author) row.author = step.author;
  row.created_by = (step.containerConfig.Cmd ?? []).join(' ');
  if (empty) row.empty_layer = true;
  const diffIds = [...(parentConfig.rootfs?.diff_ids ?? [])];
  if (!empty) diffIds.push(diffId);
  const imageRef = step.parent?.id ?? '';
  const config = cloneConfig({ ...step.config, Hostname: '', Image: imageRef });
  const containerConfig = cloneConfig({
    ...step.containerConfig,
    Hostname: step.hostnameInContainerConfig && step.container.containerId ? step.container.containerId.slice(0, 12) : '',
    Image: imageRef,
  });
  // The daemon gives a created container an empty label map when it has none.
  if (step.hostnameInContainerConfig) containerConfig.Labels ??= {};
  const image: ImageConfig = {
    architecture: parentConfig.architecture ?? 'amd64',
    config,
    ...(step.container.containerId ? { container: step.container.containerId } : {}),
    container_config: containerConfig,
    created,
    docker_version: DOCKER_VERSION,
    history: [...(parentConfig.history ?? []), row],
    os: parentConfig.os ?? 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  if (step.author) image.author = step.author;
  if (parentConfig.variant) image.variant = parentConfig.variant;
  return store.createFromConfig(image, { parent: step.parent?.id ?? null });
}
