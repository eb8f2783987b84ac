/** readlink and realpath, as busybox prints them. */
import { FsError } from '../../storage/backend.js';
import { has } from './lib/getopt.js';
import { errText, type Tool } from './lib/tool.js';

/** `readlink [-fnv] FILE`: a link's target; with -f the canonical path. Not a link: status 1, silent unless -v. */
export async function readlink(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'fnvsq' });
  if (o.args.length !== 1) return t.usage();
  const file = o.args[0]!;
  const nl = has(o, 'n') ? '' : '\n';
  try {
    if (has(o, 'f')) {
      await t.out(t.ctx.fs.realpath(file, { allowMissingLeaf: true }) + nl);
      return 0;
    }
    const st = t.ctx.fs.lstat(file);
    if (st.type !== 'symlink') {
      if (has(o, 'v')) await t.err(`${file}: cannot read link: not a symlink`);
      return 1;
    }
    await t.out(t.ctx.fs.readlink(file) + nl);
    return 0;
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    if (has(o, 'v')) await t.errPath(file, e);
    return 1;
  }
}

/** `realpath FILE...`: each canonical path; a missing one is an error (the others still print). */
export async function realpath(t: Tool): Promise<number> {
  const o = await t.opts({ short: '' });
  if (o.args.length === 0) return t.usage();
  let status = 0;
  for (const file of o.args) {
    try {
      await t.out(t.ctx.fs.realpath(file) + '\n');
    } catch (e) {
      await t.err(`${file}: ${errText(e)}`);
      status = 1;
    }
  }
  return status;
}
