/** Programs that run as a container's main process (web server, database) and their clients. */
import type { ProgramMain } from '../../process.js';

export const SERVICE_PROGRAMS = new Map<string, ProgramMain>([]);
