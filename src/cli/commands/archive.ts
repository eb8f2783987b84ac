/**
 * `mydock save`, `load`, `import`, `export`: images and container
 * filesystems in and out as tar archives. Glue only: the client-side checks
 * docker/cli makes (a terminal as output or input, the output path, opening
 * the input file), one `engine.archive` call, and the bytes or lines it
 * returns written out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { CommandDef, CommandGroup, CommandContext } from '../command.js';
import { flagList, flagString } from '../flags.js';
import type { Io } from '../io.js';
import { parseUserReference } from '../../engine/reference/index.js';
import { cowardlyRefusing, invalidOutputPath, loadStdinEmpty, openFailed } from '../../engine/archive/errors.js';
import type { SaveFormat } from '../../engine/archive/index.js';

const OUTPUT_FLAG = { name: 'output', short: 'o', kind: 'string', description: 'Write to a file, instead of STDOUT' } as const;

/** Go's text for an errno, as *PathError prints it. */
function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error).message;
}

/** Opens a host file for reading the way os.Open fails: "open FILE: reason" naming the path as given. */
function openInput(file: string): Readable {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw openFailed(file, errnoText(err));
  }
  return fs.createReadStream('', { fd });
}

/** docker/cli's ValidateOutputPath. */
function validateOutputPath(output: string, what: string): void {
  const dir = path.dirname(path.normalize(output));
  if (dir !== '' && dir !== '.' && !fs.existsSync(dir)) throw invalidOutputPath(what, `directory ${JSON.stringify(dir)} does not exist`);
  const st = fs.statSync(output, { throwIfNoEntry: false });
  if (st && !st.isDirectory() && !st.isFile()) throw invalidOutputPath(what, `${JSON.stringify(output)} must be a directory or a regular file`);
}

/**
 * Where an archive goes: stdout (refused on a terminal) or `-o FILE`, which
 * docker/cli writes beside the target and renames into place, so a failed
 * save never leaves half a file under the name.
 */
async function writeArchive(io: Io, output: string | undefined, chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> {
  if (output === undefined || output === '') {
    for await (const c of chunks) io.out.write(c);
    return;
  }
  const tmp = path.join(path.dirname(output), `.docker_temp_${process.pid}_${Date.now()}`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    for await (const c of chunks) {
      let off = 0;
      while (off < c.length) off += fs.writeSync(fd, c, off, c.length - off);
    }
    fs.closeSync(fd);
    fs.renameSync(tmp, output);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function refuseTerminal(ctx: CommandContext, output: string | undefined, what: string): void {
  if (!output && ctx.io.out.isTTY) throw cowardlyRefusing();
  if (output) validateOutputPath(output, what);
}

/**
 * Docker 25+ writes the OCI-layout archive, up to 24 the legacy one.
 * MYDOCK_SAVE_FORMAT=legacy chooses the older layout (what a 20.10 engine
 * writes); there is no such flag in Docker.
 */
function saveFormat(): SaveFormat {
  return process.env.MYDOCK_SAVE_FORMAT === 'legacy' ? 'legacy' : 'oci';
}

const save: CommandDef = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: [OUTPUT_FLAG],
  args: { kind: 'min', n: 1 },
  async handler(ctx) {
    const output = flagString(ctx.flags, 'output');
    refuseTerminal(ctx, output, 'save image');
    const engine = await ctx.engine();
    const chunks = await engine.archive.save(ctx.args, { format: saveFormat() });
    await writeArchive(ctx.io, output, chunks);
  },
};

const load: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Load an image from a tar archive or STDIN',
  flags: [
    { name: 'input', short: 'i', kind: 'string', description: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress the load output' },
  ],
  args: { kind: 'none' },
  async handler(ctx) {
    const input = flagString(ctx.flags, 'input');
    const source = input ? openInput(input) : null;
    if (!source && ctx.io.stdinIsTTY) throw loadStdinEmpty();
    const engine = await ctx.engine();
    // Without a terminal Docker's CLI asks for quiet output; mydock draws no
    // progress bars either way, so -q changes nothing that is printed.
    await engine.archive.load(source ?? ctx.io.in, { onLine: (line) => ctx.io.out.write(`${line}\n`) });
  },
};

const importCmd: CommandDef = {
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  short: 'Import the contents from a tarball to create a filesystem image',
  flags: [
    { name: 'change', short: 'c', kind: 'list', valueName: 'list', description: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', description: 'Set commit message for imported image' },
    { name: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable' },
  ],
  args: { kind: 'range', min: 1, max: 2 },
  async handler(ctx) {
    const [src, repository] = ctx.args as [string, string | undefined];
    if (/^https?:\/\//.test(src)) {
      const { DaemonError } = await import('../../engine/errors.js');
      throw new DaemonError(`importing from ${src}: mydock has no network access`, 'NO_NETWORK');
    }
    // The client checks the name before uploading anything.
    if (repository) parseUserReference(repository);
    // A local file is uploaded as a stream, so the daemon records "Imported from -" for it too.
    const source = src === '-' ? ctx.io.in : openInput(src);
    const engine = await ctx.engine();
    const id = await engine.archive.import({
      source,
      sourceName: '-',
      repository,
      message: flagString(ctx.flags, 'message'),
      changes: flagList(ctx.flags, 'change'),
    });
    ctx.io.out.write(`${id}\n`);
  },
};

const exportCmd: CommandDef = {
  usage: '[OPTIONS] CONTAINER',
  short: "Export a container's filesystem as a tar archive",
  flags: [OUTPUT_FLAG],
  args: { kind: 'exact', n: 1 },
  async handler(ctx) {
    const output = flagString(ctx.flags, 'output');
    refuseTerminal(ctx, output, 'export container');
    const engine = await ctx.engine();
    await writeArchive(ctx.io, output, await engine.archive.export(ctx.args[0]!));
  },
};

export const commands: CommandGroup = {
  'image save': save,
  'image load': load,
  'image import': importCmd,
  'container export': exportCmd,
};
