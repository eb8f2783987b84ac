/** Programs that run as a container's main process (web server, database) and their clients. */
import type { ProgramMain } from '../../process.js';
import { mysqladminMain, mysqlMain } from './mysql/client.js';
import { gosuMain, mysqlEntrypoint } from './mysql/entrypoint.js';
import { mysqldMain } from './mysql/server.js';
import { nginxMain } from './nginx/nginx.js';

export const SERVICE_PROGRAMS = new Map<string, ProgramMain>([
  ['nginx', nginxMain],
  ['mysqld', mysqldMain],
  ['mysql', mysqlMain],
  ['mysqladmin', mysqladminMain],
  ['gosu', gosuMain],
  // mysql:5.7's entrypoint (an image carries it as an emulated binary of that name).
  ['docker-entrypoint.sh', mysqlEntrypoint],
]);
