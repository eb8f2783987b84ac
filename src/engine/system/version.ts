/**
 * `docker version`'s server part (GET /version, API 1.41): the engine is
 * mydock's emulated daemon, and its components are the engine itself and
 * the root's storage driver (where Docker lists containerd, runc and
 * docker-init, which mydock does not have).
 */
import type { Engine } from '../engine.js';
import { API_VERSION, MIN_API_VERSION, buildTime, mydockGitCommit, mydockVersion, runtimeVersion } from './build-info.js';
import { goArch, goOs, kernelVersion } from './host.js';

export interface VersionComponent {
  Name: string;
  Version: string;
  Details: Record<string, string>;
}

export interface ServerVersion {
  Platform: { Name: string };
  Components: VersionComponent[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.ANSIC layout in UTC ("Thu May  7 21:09:36 2026"), as Docker prints build times. */
export function ansicTime(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** The daemon's RFC 3339 build time with nanoseconds and a numeric zone ("2026-05-07T21:09:36.000000000+00:00"). */
function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000+00:00');
}

export function serverVersion(engine: Engine): ServerVersion {
  const built = buildTime();
  const version = mydockVersion();
  return {
    Platform: { Name: '' },
    Components: [
      {
        Name: 'Engine',
        Version: version,
        Details: {
          ApiVersion: API_VERSION,
          Arch: goArch(),
          BuildTime: ansicTime(built),
          Experimental: 'false',
          GitCommit: mydockGitCommit(),
          GoVersion: runtimeVersion(),
          KernelVersion: kernelVersion(),
          MinAPIVersion: MIN_API_VERSION,
          Os: goOs(),
        },
      },
      { Name: engine.root.driver, Version: version, Details: { Root: engine.root.driverHome } },
    ],
    Version: version,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: mydockGitCommit(),
    GoVersion: runtimeVersion(),
    Os: goOs(),
    Arch: goArch(),
    KernelVersion: kernelVersion(),
    BuildTime: rfc3339Nano(built),
  };
}
