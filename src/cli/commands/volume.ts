/** `mydock volume …`: create, ls, inspect, rm, prune. */
import type { CommandDef, CommandGroup } from '../command.js';
import { flagBool, flagList, flagString, type FlagSpec } from '../flags.js';
import { confirm, pruneReport, writeInspect, writeList } from '../output.js';
import { MydockError } from '../../engine/errors.js';
import type { VolumeRecord } from '../../engine/volumes/types.js';

const FORMAT_HELP =
  "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

const formatFlag: FlagSpec = { name: 'format', kind: 'string', description: FORMAT_HELP };

/** The view `volume ls --format` sees (docker/cli's volumeContext). */
export class VolumeView {
  constructor(
    private readonly v: VolumeRecord,
    private readonly mountpoint: string,
  ) {}
  get Name(): string {
    return this.v.Name;
  }
  get Driver(): string {
    return this.v.Driver;
  }
  get Scope(): string {
    return this.v.Scope;
  }
  get Mountpoint(): string {
    return this.mountpoint;
  }
  get Labels(): string {
    return Object.entries(this.v.Labels ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  Label(name: string): string {
    return this.v.Labels?.[name] ?? '';
  }
  get Links(): string {
    return 'N/A';
  }
  get Size(): string {
    return 'N/A';
  }
  get Availability(): string {
    return 'N/A';
  }
  get Group(): string {
    return 'N/A';
  }
  get Status(): string {
    return 'N/A';
  }
}

/** Column titles of the volume views (also `system df -v`'s volume section). */
export const VOLUME_HEADERS = {
  Name: 'VOLUME NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  Mountpoint: 'MOUNTPOINT',
  Labels: 'LABELS',
  Label: (name: string) => name,
  Links: 'LINKS',
  Size: 'SIZE',
  Availability: 'AVAILABILITY',
  Group: 'GROUP',
  Status: 'STATUS',
};

/** `k=v` options/labels as Docker's opts.ParseKeyValue (a bare key has an empty value). */
function keyValues(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq === -1) out[item] = '';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const create: CommandDef = {
  usage: '[OPTIONS] [VOLUME]',
  short: 'Create a volume',
  args: { kind: 'max', n: 1 },
  flags: [
    { name: 'driver', short: 'd', kind: 'string', description: 'Specify volume driver name', defaultValue: 'local' },
    { name: 'label', kind: 'list', description: 'Set metadata for a volume' },
    { name: 'name', kind: 'string', description: 'Specify volume name', hidden: true },
    { name: 'opt', short: 'o', kind: 'map', description: 'Set driver specific options', defaultValue: 'map[]' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const v = await (await engine.volumes()).create({
      name: ctx.args[0] ?? flagString(ctx.flags, 'name'),
      driver: flagString(ctx.flags, 'driver'),
      options: keyValues(flagList(ctx.flags, 'opt')),
      labels: keyValues(flagList(ctx.flags, 'label')),
    });
    ctx.io.out.write(`${v.Name}\n`);
  },
};

const ls: CommandDef = {
  usage: '[OPTIONS]',
  short: 'List volumes',
  args: { kind: 'none' },
  flags: [
    { name: 'cluster', kind: 'bool', description: 'Display only cluster volumes, and use cluster volume list formatting', hidden: true },
    { name: 'filter', short: 'f', kind: 'list', valueName: 'filter', description: "Provide filter values (e.g. 'dangling=true')" },
    formatFlag,
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display volume names' },
  ],
  async handler(ctx) {
    const engine = await ctx.engine();
    const service = await engine.volumes();
    const volumes = service.list(flagList(ctx.flags, 'filter'));
    const quiet = flagBool(ctx.flags, 'quiet');
    writeList(ctx.io, {
      format: quiet ? '{{.Name}}' : flagString(ctx.flags, 'format'),
      defaultFormat: 'table {{.Driver}}\t{{.Name}}',
      rows: volumes.map((v) => new VolumeView(v, service.mountpoint(v.Name))),
      headers: VOLUME_HEADERS,
    });
  },
};

const inspect: CommandDef = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Display detailed information on one or more volumes',
  args: { kind: 'min', n: 1 },
  flags: [{ name: 'format', short: 'f', kind: 'string', description: FORMAT_HELP }],
  async handler(ctx) {
    const engine = await ctx.engine();
    const records: unknown[] = [];
    const missing: string[] = [];
    for (const name of ctx.args) {
      try {
        records.push((await engine.volumes()).inspect(name));
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        missing.push(`Error response from daemon: ${err.message}`);
      }
    }
    return writeInspect(ctx.io, flagString(ctx.flags, 'format'), records, missing);
  },
};

const rm: CommandDef = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Remove one or more volumes',
  args: { kind: 'min', n: 1 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', description: 'Force the removal of one or more volumes' }],
  async handler(ctx) {
    const engine = await ctx.engine();
    const errors: string[] = [];
    for (const name of ctx.args) {
      try {
        await (await engine.volumes()).remove(name, { force: flagBool(ctx.flags, 'force') });
        ctx.io.out.write(`${name}\n`);
      } catch (err) {
        if (!(err instanceof MydockError)) throw err;
        errors.push(`Error response from daemon: ${err.message}`);
      }
    }
    if (errors.length === 0) return 0;
    ctx.io.err.write(errors.join('\n') + '\n');
    return 1;
  },
};

const prune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove unused local volumes',
  args: { kind: 'none' },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Remove all unused volumes, not just anonymous ones' },
    { name: 'filter', kind: 'list', valueName: 'filter', description: "Provide filter values (e.g. 'label=<label>')" },
    { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
  ],
  async handler(ctx) {
    const all = flagBool(ctx.flags, 'all');
    if (!flagBool(ctx.flags, 'force')) {
      const warning = all
        ? 'WARNING! This will remove all local volumes not used by at least one container.'
        : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
      if (!(await confirm(ctx.io, warning))) return 0;
    }
    const engine = await ctx.engine();
    const { deleted, reclaimed } = await (await engine.volumes()).prune({ all, filters: flagList(ctx.flags, 'filter') });
    ctx.io.out.write(pruneReport([['Deleted Volumes', deleted]], reclaimed));
  },
};

export const commands: CommandGroup = {
  'volume create': create,
  'volume ls': ls,
  'volume inspect': inspect,
  'volume rm': rm,
  'volume prune': prune,
};
