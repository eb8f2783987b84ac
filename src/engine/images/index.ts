/**
 * The image engine: the store (create, resolve, tag), and the commands'
 * engine halves (list, history, inspect, rmi, prune).
 */
export * from './types.js';
export * from './config.js';
export { GoMap, goJsonString, goNow, goTime, marshalGo, type GoValue } from './gojson.js';
export { ImageStore, short, topLayerOf, type CreateOptions, type ImageStoreOptions, type LockFn } from './store.js';
export { ReferenceStore, type Association } from './reference-store.js';
export { ImageDb } from './image-db.js';
export { listImages, unixSeconds, type ListOptions } from './list.js';
export { imageHistory } from './history.js';
export { inspectImage, imageInspectOf, configJson, type ImageInspect, type JsonValue } from './inspect.js';
export { deleteImage, type DeleteOptions } from './delete.js';
export { pruneImages, type PruneOptions } from './prune.js';
export { pathMatch, globToRegExp } from './glob.js';
export { imageFiltersFromArgs, pruneOptionsFromArgs, type FilterArgs } from './filters.js';
export { openImageStore, type OpenImageStoreOptions } from './service.js';
// Names as the image store keys and prints them, for callers that only deal with images.
export { familiarName, familiarString } from '../reference/index.js';
