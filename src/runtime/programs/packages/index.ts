/** The package managers and the programs their packages install, by the name they are invoked as. */
import type { ProgramMain } from '../../process.js';
import { apkMain } from './apk.js';

export const PACKAGE_PROGRAMS = new Map<string, ProgramMain>([
  ['apk', apkMain],
]);
