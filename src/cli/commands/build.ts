/**
 * `mydock build`: Docker's classic builder output. This file is glue: it
 * reads the context the way the Docker CLI does (a directory, `-` for a tar
 * or a bare Dockerfile on stdin, `-f` anywhere), calls `engine.builds`, and
 * renders its events (buildRender) to stdout, or, with `-q`, keeps them and
 * prints them to stderr only when the build fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CommandDef, CommandGroup } from '../command.js';
import { flagBool, flagList, flagString, type FlagSpec } from '../flags.js';
import { humanSize4 } from '../format/index.js';
import { ClientError, UsageError } from '../../engine/errors.js';
import type { BuildContext, BuildEvent } from '../../engine/build/index.js';

const FLAGS: FlagSpec[] = [
  { name: 'add-host', kind: 'list', valueName: 'list', description: 'Add a custom host-to-IP mapping ("host:ip")' },
  { name: 'build-arg', kind: 'list', valueName: 'list', description: 'Set build-time variables' },
  { name: 'cache-from', kind: 'list', valueName: 'strings', description: 'Images to consider as cache sources' },
  { name: 'file', short: 'f', kind: 'string', description: "Name of the Dockerfile (Default is 'PATH/Dockerfile')" },
  { name: 'force-rm', kind: 'bool', description: 'Always remove intermediate containers' },
  { name: 'iidfile', kind: 'string', description: 'Write the image ID to the file' },
  { name: 'label', kind: 'list', valueName: 'list', description: 'Set metadata for an image' },
  { name: 'network', kind: 'string', description: 'Set the networking mode for the RUN instructions during build', defaultValue: 'default' },
  { name: 'no-cache', kind: 'bool', description: 'Do not use cache when building the image' },
  { name: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable' },
  { name: 'pull', kind: 'bool', description: 'Always attempt to pull a newer version of the image' },
  { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress the build output and print image ID on success' },
  { name: 'rm', kind: 'bool', description: 'Remove intermediate containers after a successful build (default true)' },
  { name: 'tag', short: 't', kind: 'list', valueName: 'list', description: 'Name and optionally a tag in the "name:tag" format' },
  { name: 'target', kind: 'string', description: 'Set the target build stage to build.' },
];

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return chunks.length === 0 ? Buffer.alloc(0) : Buffer.concat(chunks);
}

/** The CLI's checks on `-t` values: a flag error (usage, status 125) as pflag reports it. */
async function checkTags(tags: readonly string[]): Promise<void> {
  const { parseUserReference } = await import('../../engine/reference/index.js');
  for (const t of tags) {
    try {
      parseUserReference(t);
    } catch (err) {
      throw new UsageError(`invalid argument "${t}" for "-t, --tag" flag: ${(err as Error).message}`);
    }
  }
}

/** `--build-arg K=V`, or `K` taken from the environment (opts.ValidateEnv). */
function buildArgs(list: readonly string[], env: NodeJS.ProcessEnv): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq !== -1) out.set(item.slice(0, eq), item.slice(eq + 1));
    else out.set(item, env[item] ?? null);
  }
  return out;
}

function labels(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    out[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? '' : item.slice(eq + 1);
  }
  return out;
}

interface LoadedContext {
  context: BuildContext;
  dockerfile: string;
}

async function loadContext(arg: string, file: string | undefined, stdin: Readable): Promise<LoadedContext> {
  const build = await import('../../engine/build/index.js');
  if (arg === '-') {
    const data = await readAll(stdin);
    if (build.looksLikeTar(data) || build.isGzip(data)) {
      const context = await build.contextFromTar(data);
      const name = file ?? 'Dockerfile';
      const entry = context.get(name);
      if (!entry || entry.type !== 'file') throw new ClientError(`Cannot locate specified Dockerfile: ${name}`, 'NO_DOCKERFILE');
      return { context, dockerfile: context.read(name).toString('utf8') };
    }
    return { context: build.contextFromDockerfile(data), dockerfile: data.toString('utf8') };
  }
  const root = path.resolve(arg);
  if (!fs.existsSync(root)) throw new ClientError(`unable to prepare context: path "${arg}" not found`, 'NO_CONTEXT');
  if (!fs.statSync(root).isDirectory()) throw new ClientError(`unable to prepare context: context must be a directory: ${root}`, 'NO_CONTEXT');
  if (file === '-') {
    const data = await readAll(stdin);
    // The CLI adds a Dockerfile read from stdin to the context under a random name.
    const name = `.dockerfile.${randomBytes(10).toString('hex')}`;
    return { context: build.contextFromDirectory(root, { dockerfile: null, extraDockerfile: { name, data } }), dockerfile: data.toString('utf8') };
  }
  const dockerfilePath = file !== undefined ? path.resolve(file) : path.join(root, 'Dockerfile');
  let text: string;
  try {
    text = fs.readFileSync(dockerfilePath, 'utf8');
  } catch {
    throw new ClientError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dockerfilePath}: no such file or directory`, 'NO_DOCKERFILE');
  }
  const rel = path.relative(root, dockerfilePath).split(path.sep).join('/');
  if (rel.startsWith('../') || path.isAbsolute(rel)) {
    const name = `.dockerfile.${randomBytes(10).toString('hex')}`;
    return { context: build.contextFromDirectory(root, { dockerfile: null, extraDockerfile: { name, data: Buffer.from(text) } }), dockerfile: text };
  }
  return { context: build.contextFromDirectory(root, { dockerfile: rel }), dockerfile: text };
}

/** One event as the classic builder's stream shows it on a non-terminal. */
export function renderEvent(e: BuildEvent): string {
  switch (e.type) {
    case 'context':
      // The CLI's progress line: "%8v" of the size, "\r", then the final "\r\n".
      return `Sending build context to Docker daemon ${humanSize4(e.size).padStart(8)}\r\r\n`;
    case 'step':
      return `Step ${e.n}/${e.total} : ${e.text}\n`;
    case 'pull':
      return `${e.line}\n`;
    case 'triggers':
      return `# Executing ${e.count} build ${e.count === 1 ? 'trigger' : 'triggers'}\n`;
    case 'cache':
      return ' ---> Using cache\n';
    case 'running':
      return ` ---> Running in ${e.containerId}\n`;
    case 'output':
      // The daemon colours each piece a program writes to stderr.
      return e.stream === 'stderr' ? `\x1b[91m${e.data}\x1b[0m` : e.data;
    case 'removing':
      return `Removing intermediate container ${e.containerId}\n`;
    case 'image':
      return ` ---> ${e.id.replace(/^sha256:/, '').slice(0, 12)}\n`;
    case 'warning':
      return `${e.text}\n`;
    case 'built':
      return `Successfully built ${e.id.replace(/^sha256:/, '').slice(0, 12)}\n`;
    case 'tagged':
      return `Successfully tagged ${e.name}\n`;
  }
}

const build: CommandDef = {
  usage: '[OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  flags: FLAGS,
  args: { kind: 'exact', n: 1 },
  async handler(ctx) {
    const quiet = flagBool(ctx.flags, 'quiet');
    const tags = flagList(ctx.flags, 'tag');
    await checkTags(tags);
    const { context, dockerfile } = await loadContext(ctx.args[0]!, flagString(ctx.flags, 'file'), ctx.io.in);
    let buffered = '';
    const write = (text: string) => {
      if (quiet) buffered += text;
      else ctx.io.out.write(text);
    };
    write(renderEvent({ type: 'context', size: context.tarSize }));
    const engine = await ctx.engine();
    let result;
    try {
      result = await engine.builds.build(
        {
          context,
          dockerfileText: dockerfile,
          buildArgs: buildArgs(flagList(ctx.flags, 'build-arg'), process.env),
          target: flagString(ctx.flags, 'target'),
          noCache: flagBool(ctx.flags, 'no-cache'),
          // --rm defaults to true: only an explicit --rm=false keeps the intermediate containers.
          remove: ctx.flags.values.get('rm') !== false,
          forceRemove: flagBool(ctx.flags, 'force-rm'),
          labels: labels(flagList(ctx.flags, 'label')),
          tags,
        },
        (e) => write(renderEvent(e)),
      );
    } catch (err) {
      if (quiet) ctx.io.err.write(buffered);
      throw err;
    }
    const iidfile = flagString(ctx.flags, 'iidfile');
    if (iidfile !== undefined) fs.writeFileSync(iidfile, result.id);
    if (quiet) ctx.io.out.write(`${result.id}\n`);
    return 0;
  },
};

export const commands: CommandGroup = { 'image build': build };
