/**
 * stat: busybox's coreutils/stat.c, file mode only (no -f). Default output
 * and -c FORMAT with %n %N %s %b %B %o %a %A %f %F %u %U %g %G %i %h %d %D
 * %x %X %y %Y %z %Z %t %T.
 */
import type { FsStat } from '../../storage/backend.js';
import { kbBlocks } from './lib/blocks.js';
import { has, last } from './lib/getopt.js';
import { argBytes, bytes } from './lib/io.js';
import { modeString } from './lib/mode.js';
import { strftime } from './lib/time.js';
import { errText, type Tool } from './lib/tool.js';
import { UserDb } from './lib/users.js';

const TYPE_NAME: Record<FsStat['type'], string> = {
  file: 'regular file',
  dir: 'directory',
  symlink: 'symbolic link',
  char: 'character special file',
  block: 'block special file',
  fifo: 'fifo',
  socket: 'socket',
};

/** The device every container file reports: overlayfs's anonymous device, as in Docker. */
const DEVICE = 0x2f;

function fullTime(ms: number): string {
  const nanos = String(Math.round((ms % 1000) * 1e6)).padStart(9, '0');
  return `${strftime('%Y-%m-%d %H:%M:%S', ms)}.${nanos} +0000`;
}

function typeName(st: FsStat): string {
  if (st.type === 'file' && st.size === 0) return 'regular empty file';
  return TYPE_NAME[st.type];
}

export async function stat(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'c:fLt' });
  if (o.args.length === 0) return t.usage();
  const db = new UserDb(t.ctx.fs);
  const fmt = last(o, 'c');
  let status = 0;
  for (const path of o.args) {
    let st: FsStat;
    try {
      st = has(o, 'L') ? t.ctx.fs.stat(path) : t.ctx.fs.lstat(path);
    } catch (e) {
      await t.err(`can't stat '${path}': ${errText(e)}`);
      status = 1;
      continue;
    }
    const name = argBytes(path);
    let target = '';
    if (st.type === 'symlink') {
      try {
        target = argBytes(t.ctx.fs.readlink(path));
      } catch {
        // Unreadable link text: show the name alone.
      }
    }
    const conv = (c: string): string => {
      switch (c) {
        case 'n': return name;
        case 'N': return st.type === 'symlink' ? `'${name}' -> '${target}'` : `'${name}'`;
        case 's': return String(st.size);
        case 'b': return String(kbBlocks(st) * 2);
        case 'B': return '512';
        case 'o': return '4096';
        case 'a': return (st.mode & 0o7777).toString(8);
        case 'A': return modeString(st);
        case 'f': return (((st.type === 'dir' ? 0o040000 : st.type === 'symlink' ? 0o120000 : st.type === 'char' ? 0o020000 : st.type === 'block' ? 0o060000 : st.type === 'fifo' ? 0o010000 : st.type === 'socket' ? 0o140000 : 0o100000) | st.mode) >>> 0).toString(16);
        case 'F': return typeName(st);
        case 'u': return String(st.uid);
        case 'U': return db.userById(st.uid)?.name ?? 'UNKNOWN';
        case 'g': return String(st.gid);
        case 'G': return db.groupById(st.gid)?.name ?? 'UNKNOWN';
        case 'i': return String(st.ino);
        case 'h': return String(st.nlink);
        case 'd': return String(DEVICE);
        case 'D': return DEVICE.toString(16);
        case 't': return (st.rdev?.major ?? 0).toString(16);
        case 'T': return (st.rdev?.minor ?? 0).toString(16);
        case 'x': return fullTime(st.atimeMs);
        case 'X': return String(Math.floor(st.atimeMs / 1000));
        case 'y': return fullTime(st.mtimeMs);
        case 'Y': return String(Math.floor(st.mtimeMs / 1000));
        case 'z': return fullTime(st.ctimeMs);
        case 'Z': return String(Math.floor(st.ctimeMs / 1000));
        case '%': return '%';
        default: return '?';
      }
    };
    let out: string;
    if (fmt !== undefined) {
      out = argBytes(fmt).replace(/%(-?\d*)([a-zA-Z%])/g, (_m, width: string, c: string) => {
        const v = conv(c);
        if (!width) return v;
        const w = Number(width);
        return w < 0 ? v.padEnd(-w, ' ') : v.padStart(w, ' ');
      }) + '\n';
    } else {
      const dev = st.type === 'char' || st.type === 'block';
      out =
        `  File: ${st.type === 'symlink' ? `'${name}' -> '${target}'` : name}\n` +
        `  Size: ${conv('s').padEnd(10, ' ')}\tBlocks: ${conv('b').padEnd(10, ' ')} IO Block: ${'4096'.padEnd(6, ' ')} ${typeName(st)}\n` +
        `Device: ${conv('D')}h/${conv('d')}d\tInode: ${conv('i').padEnd(10, ' ')}  Links: ${conv('h').padEnd(5, ' ')}${dev ? ` Device type: ${conv('t')},${conv('T')}` : ''}`.trimEnd() + '\n' +
        `Access: (${(st.mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(st)})  Uid: (${conv('u').padStart(5, ' ')}/${conv('U').padStart(8, ' ')})   Gid: (${conv('g').padStart(5, ' ')}/${conv('G').padStart(8, ' ')})\n` +
        `Access: ${conv('x')}\nModify: ${conv('y')}\nChange: ${conv('z')}\n`;
    }
    await t.out(bytes(out));
  }
  return status;
}
