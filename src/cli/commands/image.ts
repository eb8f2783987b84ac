/** `mydock image …`: ls (images), pull, history, inspect, tag, rm (rmi), prune. */
import type { CommandDef, CommandGroup } from '../command.js';
import { flagBool, flagGiven, flagList, flagString, type FlagSpec } from '../flags.js';
import { ago, createdAt, humanSize, humanSize4, rfc3339Local } from '../format/index.js';
import { confirm, deleteRecordLine, pruneReport, writeInspect, writeList } from '../output.js';
import { ellipsis, shortId } from '../format/text.js';
import { DaemonError, MydockError } from '../../engine/errors.js';
import type { HistoryRow, ImageSummary } from '../../engine/images/types.js';
import { forTemplates } from './image-config-view.js';

const FORMAT_HELP =
  "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

const formatFlag: FlagSpec = { name: 'format', kind: 'string', description: FORMAT_HELP };

/** The view `images --format` sees (docker/cli's imageContext). */
export class ImageView {
  constructor(
    protected readonly img: ImageSummary,
    readonly Repository: string,
    readonly Tag: string,
    readonly Digest: string,
    private readonly trunc: boolean,
    private readonly now: number,
  ) {}
  get ID(): string {
    return this.trunc ? shortId(this.img.id) : this.img.id;
  }
  get CreatedSince(): string {
    return ago(this.img.created * 1000, this.now);
  }
  /** time.Unix(created).String(): in the local zone, as docker/cli prints it. */
  get CreatedAt(): string {
    return createdAt(this.img.created * 1000, 'local');
  }
  get Size(): string {
    return humanSize(this.img.size);
  }
  get Containers(): string {
    return this.img.containers < 0 ? 'N/A' : String(this.img.containers);
  }
  /** docker/cli's imageContext prints these three with units.HumanSize (four significant digits), SIZE with three. */
  get VirtualSize(): string {
    return humanSize4(this.img.virtualSize);
  }
  get SharedSize(): string {
    return this.img.sharedSize < 0 ? 'N/A' : humanSize4(this.img.sharedSize);
  }
  get UniqueSize(): string {
    return this.img.sharedSize < 0 ? 'N/A' : humanSize4(this.img.size - this.img.sharedSize);
  }
}

const IMAGE_HEADERS = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  VirtualSize: 'VIRTUAL SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

export function splitRepoTag(ref: string): [string, string] {
  const at = ref.lastIndexOf('@');
  if (at !== -1) return [ref.slice(0, at), ref.slice(at + 1)];
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return [ref.slice(0, colon), ref.slice(colon + 1)];
  return [ref, ''];
}

/** One row per repository:tag (and digest with --digests), as docker/cli's imageFormat. */
export function imageRows(images: ImageSummary[], options: { digests: boolean; trunc: boolean; now: number }): ImageView[] {
  const rows: ImageView[] = [];
  for (const img of images) {
    const tags = new Map<string, string[]>();
    const digests = new Map<string, string[]>();
    for (const t of img.repoTags) {
      const [repo, tag] = splitRepoTag(t);
      tags.set(repo, [...(tags.get(repo) ?? []), tag]);
    }
    for (const d of img.repoDigests) {
      const [repo, digest] = splitRepoTag(d);
      digests.set(repo, [...(digests.get(repo) ?? []), digest]);
      if (!tags.has(repo)) tags.set(repo, []);
    }
    for (const [repo, repoTags] of tags) {
      const repoDigests = digests.get(repo) ?? [];
      const row = (tag: string, digest: string) => rows.push(new ImageView(img, repo, tag, digest, options.trunc, options.now));
      if (repoTags.length === 0) {
        for (const d of repoDigests) row('<none>', d);
        continue;
      }
      for (const tag of repoTags) {
        if (!options.digests || repoDigests.length === 0) row(tag, options.digests ? '<none>' : '');
        else for (const d of repoDigests) row(tag, d);
      }
    }
  }
  return rows;
}

const ls: CommandDef = {
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  args: { kind: 'max', n: 1 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all images (default hides intermediate images)' },
    { name: 'digests', kind: 'bool', description: 'Show digests' },
    { name: 'filter', short: 'f', kind: 'list', valueName: 'filter', description: 'Filter output based on conditions provided' },
    formatFlag,
    { name: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only show image IDs' },
    { name: 'tree', kind: 'bool', description: 'List multi-platform images as a tree (EXPERIMENTAL)', hidden: true },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { listImages, imageFiltersFromArgs } = await import('../../engine/images/index.js');
    const { parseFilterFlags } = await import('../../engine/filters.js');
    const args = parseFilterFlags(flagList(ctx.flags, 'filter'));
    // The positional REPOSITORY[:TAG] is one more reference filter, as docker/cli sends it.
    if (ctx.args[0]) (args.reference ??= []).push(ctx.args[0]);
    const store = await engine.imageStore();
    const images = listImages(store, { all: flagBool(ctx.flags, 'all'), filters: imageFiltersFromArgs(args) });
    const trunc = !flagBool(ctx.flags, 'no-trunc');
    const digests = flagBool(ctx.flags, 'digests');
    if (flagBool(ctx.flags, 'quiet')) {
      const seen = new Set<string>();
      for (const img of images) {
        const id = trunc ? shortId(img.id) : img.id;
        if (!seen.has(id)) ctx.io.out.write(`${id}\n`);
        seen.add(id);
      }
      return;
    }
    writeList(ctx.io, {
      format: flagString(ctx.flags, 'format'),
      defaultFormat: digests
        ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
        : 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}',
      rows: imageRows(images, { digests, trunc, now: Date.now() }),
      headers: IMAGE_HEADERS,
    });
  },
};

const pull: CommandDef = {
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  args: { kind: 'exact', n: 1 },
  flags: [
    { name: 'all-tags', short: 'a', kind: 'bool', description: 'Download all tagged images in the repository' },
    { name: 'disable-content-trust', kind: 'bool', description: 'Skip image verification', defaultValue: '' },
    { name: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress verbose output' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { pull: pullImage } = await import('../../engine/catalog/index.js');
    const quiet = flagBool(ctx.flags, 'quiet');
    // The engine's progress ends with the full reference, the line -q keeps.
    const result = await pullImage(await engine.imageStore(), ctx.args[0]!, {
      onProgress: (e) => {
        if (!quiet) ctx.io.out.write(e.id === null ? `${e.status}\n` : `${e.id}: ${e.status}\n`);
      },
    });
    if (quiet) ctx.io.out.write(`${result.reference}\n`);
  },
};

/** The view `history --format` sees (docker/cli's historyContext). */
export class HistoryView {
  constructor(
    private readonly h: HistoryRow,
    private readonly human: boolean,
    private readonly trunc: boolean,
    private readonly now: number,
  ) {}
  get ID(): string {
    return this.trunc && this.h.id !== '<missing>' ? shortId(this.h.id) : this.h.id;
  }
  get CreatedAt(): string {
    return rfc3339Local(this.h.created * 1000);
  }
  get CreatedSince(): string {
    return this.human ? ago(this.h.created * 1000, this.now) : this.CreatedAt;
  }
  get CreatedBy(): string {
    const by = this.h.createdBy.replace(/\t/g, ' ');
    return this.trunc ? ellipsis(by, 45) : by;
  }
  get Size(): string {
    return this.human ? humanSize(this.h.size) : String(this.h.size);
  }
  get Comment(): string {
    return this.h.comment;
  }
}

const HISTORY_HEADERS = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

const history: CommandDef = {
  usage: '[OPTIONS] IMAGE',
  short: 'Show the history of an image',
  args: { kind: 'exact', n: 1 },
  flags: [
    formatFlag,
    { name: 'human', short: 'H', kind: 'bool', description: 'Print sizes and dates in human readable format', defaultValue: 'true' },
    { name: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
    { name: 'platform', kind: 'string', description: 'Show history for the given platform. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only show image IDs' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { imageHistory } = await import('../../engine/images/index.js');
    const rows = imageHistory(await engine.imageStore(), ctx.args[0]!);
    const human = !flagGiven(ctx.flags, 'human') || flagBool(ctx.flags, 'human');
    const trunc = !flagBool(ctx.flags, 'no-trunc');
    const views = rows.map((r) => new HistoryView(r, human, trunc, Date.now()));
    if (flagBool(ctx.flags, 'quiet')) {
      for (const v of views) ctx.io.out.write(`${v.ID}\n`);
      return;
    }
    writeList(ctx.io, {
      format: flagString(ctx.flags, 'format'),
      defaultFormat: human
        ? 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}'
        : 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
      rows: views,
      headers: HISTORY_HEADERS,
    });
  },
};

const inspect: CommandDef = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Display detailed information on one or more images',
  args: { kind: 'min', n: 1 },
  flags: [
    { name: 'format', short: 'f', kind: 'string', description: FORMAT_HELP },
    { name: 'platform', kind: 'string', description: 'Inspect a specific platform of the multi-platform image.' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { inspectImage } = await import('../../engine/images/index.js');
    const store = await engine.imageStore();
    const records: unknown[] = [];
    const missing: string[] = [];
    for (const name of ctx.args) {
      try {
        records.push(inspectImage(store, name));
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        missing.push(`Error response from daemon: ${err.message}`);
      }
    }
    const format = flagString(ctx.flags, 'format');
    // A template reads the CLI's decoded types; the JSON outputs print what the daemon sent.
    const shown = format && format !== 'json' ? records.map((r) => forTemplates(r as { Config?: unknown })) : records;
    return writeInspect(ctx.io, format, shown, missing);
  },
};

const tag: CommandDef = {
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  args: { kind: 'exact', n: 2 },
  flags: [],
  async handler(ctx) {
    const engine = await ctx.engine();
    await (await engine.imageStore()).tag(ctx.args[0]!, ctx.args[1]!);
  },
};

const rm: CommandDef = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  args: { kind: 'min', n: 1 },
  flags: [
    { name: 'force', short: 'f', kind: 'bool', description: 'Force removal of the image' },
    { name: 'no-prune', kind: 'bool', description: 'Do not delete untagged parents' },
    { name: 'platform', kind: 'list', valueName: 'stringSlice', description: 'Remove only the given platform variant.' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const { deleteImage } = await import('../../engine/images/index.js');
    const store = await engine.imageStore();
    const force = flagBool(ctx.flags, 'force');
    const errors: string[] = [];
    let onlyMissing = true;
    for (const ref of ctx.args) {
      try {
        const records = await deleteImage(store, ref, { force, prune: !flagBool(ctx.flags, 'no-prune') });
        for (const r of records) ctx.io.out.write('untagged' in r ? `Untagged: ${r.untagged}\n` : `Deleted: ${r.deleted}\n`);
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        if (err.code !== 'NO_SUCH_IMAGE') onlyMissing = false;
        errors.push(err instanceof DaemonError ? `Error response from daemon: ${err.message}` : err.message);
      }
    }
    if (errors.length === 0) return 0;
    ctx.io.err.write(errors.join('\n') + '\n');
    // Docker's CLI exits 0 when -f was given and the only failures were missing images.
    return force && onlyMissing ? 0 : 1;
  },
};

const prune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove unused images',
  args: { kind: 'none' },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Remove all unused images, not just dangling ones' },
    { name: 'filter', kind: 'list', valueName: 'filter', description: "Provide filter values (e.g. 'until=<timestamp>')" },
    { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
  ],
  async handler(ctx) {
    const all = flagBool(ctx.flags, 'all');
    if (!flagBool(ctx.flags, 'force')) {
      const warning = all
        ? 'WARNING! This will remove all images without at least one container associated to them.'
        : 'WARNING! This will remove all dangling images.';
      if (!(await confirm(ctx.io, warning))) return 0;
    }
    const { parseFilterFlags } = await import('../../engine/filters.js');
    const { pruneOptionsFromArgs } = await import('../../engine/images/index.js');
    const options = pruneOptionsFromArgs(parseFilterFlags(flagList(ctx.flags, 'filter'), '--filter'));
    const engine = await ctx.engine();
    const { pruneImages } = await import('../../engine/images/index.js');
    const result = await pruneImages(await engine.imageStore(), { ...options, all: all || options.all });
    ctx.io.out.write(pruneReport([['Deleted Images', result.deleted.map(deleteRecordLine)]], result.spaceReclaimed));
  },
};

export const commands: CommandGroup = {
  'image ls': ls,
  'image pull': pull,
  'image history': history,
  'image inspect': inspect,
  'image tag': tag,
  'image rm': rm,
  'image prune': prune,
};
