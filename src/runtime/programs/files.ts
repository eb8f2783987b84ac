/**
 * Applets that change the tree: mkdir, rmdir, rm, touch, chmod, chown, ln.
 * (cp and mv live in copy.ts, ls in ls.ts.) Each prints busybox's own
 * message shape for a failure; they differ from applet to applet.
 */
import { parseDate, parseTouchStamp } from './lib/datestr.js';
import { has, last } from './lib/getopt.js';
import { parseMode } from './lib/mode.js';
import { joinPath, lastComponent, UMASK } from './lib/paths.js';
import { errText, isFsError, type Tool } from './lib/tool.js';
import { UserDb } from './lib/users.js';

export async function mkdir(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'm:pv', long: { mode: { key: 'm', arg: 'required' }, parents: { key: 'p', arg: 'none' }, verbose: { key: 'v', arg: 'none' } } });
  if (o.args.length === 0) return t.usage();
  let mode = 0o777 & ~UMASK;
  const m = last(o, 'm');
  if (m !== undefined) {
    const parsed = parseMode(m, 0o777, true);
    if (parsed === null) return t.die(`invalid mode '${m}'`);
    mode = parsed;
  }
  const fs = t.ctx.fs;
  let status = 0;
  for (const path of o.args) {
    try {
      if (has(o, 'p')) {
        // busybox walks the path, naming the prefix (with its slash) that failed.
        let at = 0;
        for (;;) {
          const slash = path.indexOf('/', at === 0 && path.startsWith('/') ? 1 : at);
          const prefix = slash === -1 ? path : path.slice(0, slash + 1);
          const isLast = slash === -1 || path.slice(slash).replace(/\/+/g, '') === '';
          const comp = prefix.replace(/\/+$/, '') || '/';
          const st = fs.tryStat(comp);
          if (st && st.type !== 'dir') throw new MkdirFail(prefix, isLast ? 'File exists' : 'Not a directory');
          if (!st) {
            try {
              fs.mkdir(comp, { mode: isLast ? mode : 0o777 & ~UMASK });
            } catch (e) {
              throw new MkdirFail(prefix, errText(e));
            }
          }
          if (isLast) break;
          at = slash + 1;
          while (path[at] === '/') at++;
        }
        if (m !== undefined) fs.chmod(path, mode);
      } else {
        fs.mkdir(path, { mode });
        // mkdir(2) applies the umask; -m sets the exact bits afterwards, as busybox does.
        if (m !== undefined) fs.chmod(path, mode);
      }
      if (has(o, 'v')) await t.out(`mkdir: created directory '${path}'\n`);
    } catch (e) {
      if (e instanceof MkdirFail) await t.err(`can't create directory '${e.path}': ${e.text}`);
      else await t.err(`can't create directory '${path}': ${errText(e)}`);
      status = 1;
    }
  }
  return status;
}

class MkdirFail extends Error {
  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    super(text);
  }
}

export async function rmdir(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'pv', long: { parents: { key: 'p', arg: 'none' }, 'ignore-fail-on-non-empty': { key: 'I', arg: 'none' } } });
  if (o.args.length === 0) return t.usage();
  let status = 0;
  for (let path of o.args) {
    for (;;) {
      try {
        t.ctx.fs.rmdir(path);
      } catch (e) {
        if (!(has(o, 'I') && isFsError(e, 'ENOTEMPTY'))) {
          await t.err(`'${path}': ${errText(e)}`);
          status = 1;
        }
        break;
      }
      if (!has(o, 'p')) break;
      const trimmed = path.replace(/\/+$/, '');
      const at = trimmed.lastIndexOf('/');
      if (at <= 0) break;
      path = trimmed.slice(0, at).replace(/\/+$/, '');
      if (path === '') break;
    }
  }
  return status;
}

export async function rm(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'fiRrv', long: { force: { key: 'f', arg: 'none' }, recursive: { key: 'r', arg: 'none' } } });
  const force = has(o, 'f');
  const recursive = has(o, 'r') || has(o, 'R');
  if (o.args.length === 0) return force ? 0 : t.usage();
  let status = 0;
  const fs = t.ctx.fs;
  const remove = async (path: string): Promise<boolean> => {
    const st = fs.tryLstat(path);
    if (!st) {
      if (force) return true;
      await t.err(`can't remove '${path}': No such file or directory`);
      return false;
    }
    if (st.type === 'dir') {
      if (!recursive) {
        await t.err(`'${path}' is a directory`);
        return false;
      }
      let ok = true;
      let names: string[] = [];
      try {
        names = fs.readdir(path);
      } catch (e) {
        await t.err(`can't open '${path}': ${errText(e)}`);
        return false;
      }
      for (const n of names) if (!(await remove(joinPath(path, n)))) ok = false;
      if (!ok) return false;
      try {
        fs.rmdir(path);
      } catch (e) {
        await t.err(`can't remove '${path}': ${errText(e)}`);
        return false;
      }
      if (has(o, 'v')) await t.out(`removed directory: '${path}'\n`);
      return true;
    }
    try {
      fs.unlink(path);
    } catch (e) {
      await t.err(`can't remove '${path}': ${errText(e)}`);
      return false;
    }
    if (has(o, 'v')) await t.out(`removed '${path}'\n`);
    return true;
  };
  for (const path of o.args) {
    const base = lastComponent(path);
    if (base === '.' || base === '..') {
      await t.err("can't remove '.' or '..'");
      status = 1;
      continue;
    }
    if (!(await remove(path))) status = 1;
  }
  return status;
}

export async function touch(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'chamd:t:r:', long: { 'no-create': { key: 'c', arg: 'none' }, date: { key: 'd', arg: 'required' }, reference: { key: 'r', arg: 'required' } } });
  if (o.args.length === 0) return t.usage();
  const fs = t.ctx.fs;
  const now = t.ctx.clock.now();
  let when: number | null = null;
  const d = last(o, 'd');
  const stamp = last(o, 't');
  const ref = last(o, 'r');
  if (d !== undefined) {
    when = parseDate(d, now);
    if (when === null) return t.die(`invalid date '${d}'`);
  } else if (stamp !== undefined) {
    when = parseTouchStamp(stamp, now);
    if (when === null) return t.die(`invalid date '${stamp}'`);
  }
  let refTimes: { a: number; m: number } | null = null;
  if (ref !== undefined) {
    try {
      const st = fs.stat(ref);
      refTimes = { a: st.atimeMs, m: st.mtimeMs };
    } catch (e) {
      return t.die(`${ref}: ${errText(e)}`);
    }
  }
  let status = 0;
  for (const path of o.args) {
    try {
      const st = fs.tryStat(path);
      if (!st) {
        if (has(o, 'c')) continue;
        fs.open(path, { write: true, create: true, mode: 0o666 & ~UMASK }).close();
        if (when === null && refTimes === null) continue;
      }
      const cur = st ?? fs.stat(path);
      let atime = refTimes?.a ?? when ?? now;
      let mtime = refTimes?.m ?? when ?? now;
      // -a / -m alone keep the other time as it was.
      if (has(o, 'a') && !has(o, 'm')) mtime = cur.mtimeMs;
      if (has(o, 'm') && !has(o, 'a')) atime = cur.atimeMs;
      fs.utimes(path, atime, mtime);
    } catch (e) {
      await t.errPath(path, e);
      status = 1;
    }
  }
  return status;
}

export async function chmod(t: Tool): Promise<number> {
  // A mode like "-w" looks like an option: busybox takes the first word that is not one of its flags as the mode.
  const argv = t.ctx.argv.slice(1);
  const flags: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (/^-[Rcvf]+$/.test(a)) flags.push(...a.slice(1));
    else if (a.startsWith('-') && a.length > 1 && !/^-[rwxXstugo=+-]/.test(a)) {
      await t.err(`invalid option -- '${a[1]}'`);
      return t.usage();
    } else break;
  }
  const rest = argv.slice(i);
  if (rest.length < 2) return t.usage();
  const modeText = rest[0]!;
  const recursive = flags.includes('R');
  const quiet = flags.includes('f');
  const verbose = flags.includes('v') || flags.includes('c');
  const fs = t.ctx.fs;
  let status = 0;
  const apply = async (path: string, top: boolean): Promise<void> => {
    try {
      const lst = fs.lstat(path);
      // Recursion never follows symlinks; a symlink named on the command line is followed.
      if (lst.type === 'symlink' && !top) return;
      const st = lst.type === 'symlink' ? fs.stat(path) : lst;
      const mode = parseMode(modeText, st.mode, st.type === 'dir');
      if (mode === null) return t.die(`invalid mode '${modeText}'`);
      fs.chmod(path, mode);
      if (verbose && (flags.includes('v') || mode !== st.mode)) await t.out(`mode of '${path}' changed to ${mode.toString(8).padStart(4, '0')}\n`);
      if (recursive && st.type === 'dir' && lst.type === 'dir') {
        for (const n of fs.readdir(path)) await apply(joinPath(path, n), false);
      }
    } catch (e) {
      if (!quiet) await t.errPath(path, e);
      status = 1;
    }
  };
  if (parseMode(modeText, 0, false) === null) return t.die(`invalid mode '${modeText}'`);
  for (const path of rest.slice(1)) await apply(path, true);
  return status;
}

export async function chown(t: Tool): Promise<number> {
  return chownLike(t, 'chown');
}

export async function chgrp(t: Tool): Promise<number> {
  return chownLike(t, 'chgrp');
}

async function chownLike(t: Tool, which: 'chown' | 'chgrp'): Promise<number> {
  const o = await t.opts({ short: 'RhLHPcvf' });
  if (o.args.length < 2) return t.usage();
  const spec = o.args[0]!;
  const db = new UserDb(t.ctx.fs);
  let uid = -1;
  let gid = -1;
  const userPart = which === 'chgrp' ? '' : spec.split(/[:.]/)[0]!;
  const sep = which === 'chgrp' ? 0 : spec.search(/[:.]/);
  const groupPart = which === 'chgrp' ? spec : sep === -1 ? null : spec.slice(sep + 1);
  const lookupUser = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : (db.userByName(s)?.uid ?? null));
  const lookupGroup = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : (db.groupByName(s)?.gid ?? null));
  if (userPart !== '') {
    const u = lookupUser(userPart);
    if (u === null) return t.die(groupPart === null ? `unknown user ${userPart}` : `unknown user/group ${spec}`);
    uid = u;
  }
  if (groupPart !== null && groupPart !== '') {
    const g = lookupGroup(groupPart);
    if (g === null) return t.die(which === 'chgrp' ? `unknown group ${groupPart}` : `unknown user/group ${spec}`);
    gid = g;
  } else if (groupPart === '' && userPart !== '' && which === 'chown') {
    // "user:" means the user's login group.
    const u = db.userByName(userPart);
    if (u) gid = u.gid;
  }
  const fs = t.ctx.fs;
  const noFollow = has(o, 'h');
  let status = 0;
  const apply = async (path: string, top: boolean): Promise<void> => {
    try {
      const lst = fs.lstat(path);
      const isLink = lst.type === 'symlink';
      fs.chown(path, uid, gid, { noFollow: noFollow || (isLink && !top) });
      if (has(o, 'R') && lst.type === 'dir') {
        for (const n of fs.readdir(path)) await apply(joinPath(path, n), false);
      }
    } catch (e) {
      if (!has(o, 'f')) await t.errPath(path, e);
      status = 1;
    }
  };
  for (const path of o.args.slice(1)) await apply(path, true);
  return status;
}

export async function ln(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'sfnbS:vT' });
  if (o.args.length === 0) return t.usage();
  const fs = t.ctx.fs;
  let targets = o.args;
  let dest: string;
  let destIsDir = false;
  if (o.args.length === 1) {
    dest = lastComponent(o.args[0]!);
    destIsDir = false;
  } else {
    dest = o.args[o.args.length - 1]!;
    targets = o.args.slice(0, -1);
    const st = has(o, 'n') ? fs.tryLstat(dest) : fs.tryStat(dest);
    destIsDir = !has(o, 'T') && st !== null && st.type === 'dir';
    if (targets.length > 1 && !destIsDir) return t.die(`'${dest}' is not a directory`);
  }
  let status = 0;
  for (const target of targets) {
    const link = destIsDir ? joinPath(dest, lastComponent(target)) : dest;
    try {
      if (!has(o, 's')) fs.lstat(target);
      if (has(o, 'f') && fs.tryLstat(link) && fs.lstat(link).type !== 'dir') fs.unlink(link);
      if (has(o, 's')) fs.symlink(target, link);
      else fs.link(target, link);
      if (has(o, 'v')) await t.out(`'${link}' -> '${target}'\n`);
    } catch (e) {
      const path = isFsError(e) && e.path === target ? target : link;
      await t.errPath(path, e);
      status = 1;
    }
  }
  return status;
}
