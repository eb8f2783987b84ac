/**
 * The command table: every command path mydock knows, its aliases (Docker's
 * short forms such as `images` for `image ls`), and which group module holds
 * it. Group modules are imported only when one of their commands runs, so
 * `mydock --version` and `mydock images` load little (start-up time is
 * measured against `node -e 0`).
 */
import type { CommandGroup } from './command.js';

export type GroupName = 'image' | 'container' | 'volume' | 'system' | 'build' | 'archive';

export interface CommandEntry {
  /** Canonical path, e.g. "image ls". */
  key: string;
  group: GroupName;
  /** Every way to type it, canonical first. */
  paths: string[][];
  short: string;
}

const GROUP_LOADERS: Record<GroupName, () => Promise<{ commands: CommandGroup }>> = {
  image: () => import('./commands/image.js'),
  container: () => import('./commands/container.js'),
  volume: () => import('./commands/volume.js'),
  system: () => import('./commands/system.js'),
  build: () => import('./commands/build.js'),
  archive: () => import('./commands/archive.js'),
};

export function loadGroup(group: GroupName): Promise<{ commands: CommandGroup }> {
  return GROUP_LOADERS[group]();
}

const e = (key: string, group: GroupName, short: string, ...aliases: string[]): CommandEntry => ({
  key,
  group,
  short,
  paths: [key.split(' '), ...aliases.map((a) => a.split(' '))],
});

export const COMMANDS: CommandEntry[] = [
  // images
  e('image ls', 'image', 'List images', 'image list', 'images'),
  e('image pull', 'image', 'Download an image from a registry', 'pull'),
  e('image history', 'image', 'Show the history of an image', 'history'),
  e('image inspect', 'image', 'Display detailed information on one or more images'),
  e('image tag', 'image', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', 'tag'),
  e('image rm', 'image', 'Remove one or more images', 'image remove', 'rmi'),
  e('image prune', 'image', 'Remove unused images'),
  e('image build', 'build', 'Build an image from a Dockerfile', 'build', 'builder build'),
  e('image save', 'archive', 'Save one or more images to a tar archive (streamed to STDOUT by default)', 'save'),
  e('image load', 'archive', 'Load an image from a tar archive or STDIN', 'load'),
  e('image import', 'archive', 'Import the contents from a tarball to create a filesystem image', 'import'),
  // containers
  e('container run', 'container', 'Create and run a new container from an image', 'run'),
  e('container create', 'container', 'Create a new container', 'create'),
  e('container start', 'container', 'Start one or more stopped containers', 'start'),
  e('container stop', 'container', 'Stop one or more running containers', 'stop'),
  e('container restart', 'container', 'Restart one or more containers', 'restart'),
  e('container kill', 'container', 'Kill one or more running containers', 'kill'),
  e('container wait', 'container', 'Block until one or more containers stop, then print their exit codes', 'wait'),
  e('container pause', 'container', 'Pause all processes within one or more containers', 'pause'),
  e('container unpause', 'container', 'Unpause all processes within one or more containers', 'unpause'),
  e('container rm', 'container', 'Remove one or more containers', 'container remove', 'rm'),
  e('container rename', 'container', 'Rename a container', 'rename'),
  e('container prune', 'container', 'Remove all stopped containers'),
  e('container ls', 'container', 'List containers', 'container list', 'container ps', 'ps'),
  e('container exec', 'container', 'Execute a command in a running container', 'exec'),
  e('container logs', 'container', 'Fetch the logs of a container', 'logs'),
  e('container diff', 'container', "Inspect changes to files or directories on a container's filesystem", 'diff'),
  e('container commit', 'container', "Create a new image from a container's changes", 'commit'),
  e('container cp', 'container', 'Copy files/folders between a container and the local filesystem', 'cp'),
  e('container export', 'archive', "Export a container's filesystem as a tar archive", 'export'),
  e('container inspect', 'container', 'Display detailed information on one or more containers'),
  e('container top', 'container', 'Display the running processes of a container', 'top'),
  e('container port', 'container', 'List port mappings or a specific mapping for the container', 'port'),
  // volumes
  e('volume create', 'volume', 'Create a volume'),
  e('volume ls', 'volume', 'List volumes', 'volume list'),
  e('volume inspect', 'volume', 'Display detailed information on one or more volumes'),
  e('volume rm', 'volume', 'Remove one or more volumes', 'volume remove'),
  e('volume prune', 'volume', 'Remove unused local volumes'),
  // system
  e('system df', 'system', 'Show docker disk usage'),
  e('system prune', 'system', 'Remove unused data'),
  e('system info', 'system', 'Display system-wide information', 'info'),
  e('system check', 'system', "Verify the root's records and layers (mydock)"),
  e('version', 'system', 'Show the Docker version information'),
  e('inspect', 'system', 'Return low-level information on Docker objects'),
];

/** Management command groups, for `mydock image` style help and the top-level help. */
export const MANAGEMENT: Record<string, string> = {
  builder: 'Manage builds',
  container: 'Manage containers',
  image: 'Manage images',
  system: 'Manage Docker',
  volume: 'Manage volumes',
};

export interface Resolved {
  entry: CommandEntry;
  /** The words consumed from argv. */
  words: string[];
}

/** Finds the longest command path that prefixes `words`. */
export function resolveCommand(words: readonly string[]): Resolved | null {
  let best: Resolved | null = null;
  for (const entry of COMMANDS) {
    for (const p of entry.paths) {
      if (p.length <= words.length && p.every((w, i) => words[i] === w)) {
        if (!best || p.length > best.words.length) best = { entry, words: p };
      }
    }
  }
  return best;
}

/** Subcommands of a management group ("image" -> ls, pull, …) for its help page; aliases are not listed. */
export function subcommandsOf(group: string): { name: string; short: string }[] {
  const out: { name: string; short: string }[] = [];
  for (const entry of COMMANDS) {
    const p = entry.paths.find((q) => q.length === 2 && q[0] === group);
    if (p) out.push({ name: p[1]!, short: entry.short });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
