/** The package managers and the programs their packages install, by the name they are invoked as. */
import type { ProgramMain } from '../../process.js';
import { apkMain } from './apk.js';
import { aptGetMain, dpkgMain } from './apt.js';
import { curlMain, gitMain, makeMain, python3Main } from './tools.js';

export const PACKAGE_PROGRAMS = new Map<string, ProgramMain>([
  ['apk', apkMain],
  ['apt-get', aptGetMain],
  ['dpkg', dpkgMain],
  ['make', makeMain],
  ['curl', curlMain],
  ['git', gitMain],
  ['python3', python3Main],
]);
