/** The offline catalog: base images generated from fixture specs, and `pull`. */
export * from './spec.js';
export { Catalog, DEFAULT_CATALOG_DIR, type CatalogImage } from './catalog.js';
export {
  expandLayer,
  layerTarStream,
  hashLayer,
  configBytes,
  configWithLayers,
  manifestBytes,
  computePins,
  chainIdsOf,
  MANIFEST_MEDIA_TYPE,
  CONFIG_MEDIA_TYPE,
  LAYER_MEDIA_TYPE,
} from './generate.js';
export { pull, pullEventLine, type PullEvent, type PullOptions, type PullResult } from './pull.js';
export { tarChunks, type TarEntry, type TarEntryType } from './tar.js';
