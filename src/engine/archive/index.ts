/** The archive engine: `save`, `load`, `import`, `export`. */
export { ArchiveService, type ArchiveServiceDeps } from './service.js';
export type { ImportRequest } from './import.js';
export type { LoadOptions, LoadResult } from './load.js';
export type { SaveFormat } from './save.js';
export { applyImportChanges } from './changes.js';
export { decompressStream, isGzip } from './decompress.js';
export * from './errors.js';
