/**
 * Applets that report on the process and its container: id, whoami,
 * hostname, uname, pwd, env, date.
 */
import { parseDate } from './lib/datestr.js';
import { has, last } from './lib/getopt.js';
import { findInPath } from './lib/exec.js';
import { argBytes, bytes } from './lib/io.js';
import { strftime } from './lib/time.js';
import type { Tool } from './lib/tool.js';
import { UserDb } from './lib/users.js';

export async function id(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'ugGnr' });
  const db = new UserDb(t.ctx.fs);
  let uid = t.ctx.user.uid;
  let gid = t.ctx.user.gid;
  let name: string | undefined = db.userById(uid)?.name;
  if (o.args.length > 0) {
    const arg = o.args[0]!;
    const u = db.userByName(arg) ?? (/^\d+$/.test(arg) ? db.userById(Number(arg)) : undefined);
    if (!u) return t.die(`unknown user ${arg}`);
    uid = u.uid;
    gid = u.gid;
    name = u.name;
  }
  // The groups a process gets at login (and from Docker): its own gid, then
  // every group that lists the user as a member.
  const groups = [gid];
  if (name !== undefined) for (const g of db.groups()) if (g.members.includes(name) && !groups.includes(g.gid)) groups.push(g.gid);
  const userText = (u: number): string => (has(o, 'n') ? (db.userById(u)?.name ?? String(u)) : String(u));
  const groupText = (g: number): string => (has(o, 'n') ? (db.groupById(g)?.name ?? String(g)) : String(g));
  if (has(o, 'u')) {
    await t.out(userText(uid) + '\n');
    return 0;
  }
  if (has(o, 'g')) {
    await t.out(groupText(gid) + '\n');
    return 0;
  }
  if (has(o, 'G')) {
    await t.out(groups.map(groupText).join(' ') + '\n');
    return 0;
  }
  const named = (n: number, nm: string | undefined): string => (nm === undefined ? String(n) : `${n}(${nm})`);
  let line = `uid=${named(uid, db.userById(uid)?.name)} gid=${named(gid, db.groupById(gid)?.name)}`;
  line += ` groups=${groups.map((g) => named(g, db.groupById(g)?.name)).join(',')}`;
  await t.out(line + '\n');
  return 0;
}

export async function whoami(t: Tool): Promise<number> {
  await t.opts({ short: '' });
  const db = new UserDb(t.ctx.fs);
  const u = db.userById(t.ctx.user.uid);
  if (!u) return t.die(`unknown uid ${t.ctx.user.uid}`);
  await t.out(u.name + '\n');
  return 0;
}

export async function hostname(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'sidfF:' });
  const full = t.ctx.container.hostname;
  if (o.args.length > 0 || has(o, 'F')) {
    // Containers lack CAP_SYS_ADMIN, so sethostname(2) fails as it would under Docker.
    return t.die('sethostname: Operation not permitted');
  }
  const dot = full.indexOf('.');
  if (has(o, 's')) await t.out((dot === -1 ? full : full.slice(0, dot)) + '\n');
  else if (has(o, 'd')) await t.out((dot === -1 ? '' : full.slice(dot + 1)) + '\n');
  else if (has(o, 'i')) await t.out(containerAddress(t) + '\n');
  else await t.out(full + '\n');
  return 0;
}

/** The address /etc/hosts gives the container's hostname, if any. */
function containerAddress(t: Tool): string {
  try {
    const hosts = t.ctx.fs.readFile('/etc/hosts').toString('utf8');
    for (const line of hosts.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length > 1 && f.slice(1).includes(t.ctx.container.hostname)) return f[0]!;
    }
  } catch {
    // No /etc/hosts: nothing to report, as with a failed lookup.
  }
  return '';
}

/** The kernel the emulated containers report: a Linux 5.x like Docker hosts run. */
export const KERNEL = {
  sysname: 'Linux',
  release: '5.15.0-91-generic',
  version: '#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023',
  machine: 'x86_64',
  os: 'GNU/Linux',
};

export async function uname(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'snrvmpioa' });
  if (o.args.length > 0) return t.usage();
  const all = has(o, 'a');
  const parts: string[] = [];
  const want = (c: string): boolean => all || has(o, c);
  if (want('s') || o.count.size === 0) parts.push(KERNEL.sysname);
  if (want('n')) parts.push(t.ctx.container.hostname);
  if (want('r')) parts.push(KERNEL.release);
  if (want('v')) parts.push(KERNEL.version);
  if (want('m')) parts.push(KERNEL.machine);
  // -p and -i print "unknown" only when asked for by name; -a leaves them out.
  if (!all && has(o, 'p')) parts.push('unknown');
  if (!all && has(o, 'i')) parts.push('unknown');
  if (want('o')) parts.push(KERNEL.os);
  await t.out(parts.join(' ') + '\n');
  return 0;
}

export async function pwd(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'LP' });
  const pwdEnv = t.ctx.env.PWD;
  if (has(o, 'L') && pwdEnv && pwdEnv.startsWith('/')) {
    const st = t.ctx.fs.tryStat(pwdEnv);
    const here = t.ctx.fs.tryStat('.');
    if (st && here && st.ino === here.ino) {
      await t.out(pwdEnv + '\n');
      return 0;
    }
  }
  await t.out(t.ctx.fs.cwd + '\n');
  return 0;
}

export async function env(t: Tool): Promise<number> {
  const o = await t.opts({ short: '+iu:0', long: { ignore_environment: { key: 'i', arg: 'none' }, unset: { key: 'u', arg: 'required' }, null: { key: '0', arg: 'none' } } });
  const args = [...o.args];
  // A lone "-" is the old spelling of -i.
  let clear = has(o, 'i');
  if (args[0] === '-') {
    clear = true;
    args.shift();
  }
  const vars: Record<string, string> = clear ? {} : { ...t.ctx.env };
  for (const u of o.values.get('u') ?? []) delete vars[u];
  while (args.length > 0 && args[0]!.includes('=')) {
    const a = args.shift()!;
    const eq = a.indexOf('=');
    vars[a.slice(0, eq)] = a.slice(eq + 1);
  }
  if (args.length === 0) {
    const end = has(o, '0') ? '\0' : '\n';
    await t.out(bytes(Object.entries(vars).map(([k, v]) => argBytes(`${k}=${v}`) + end).join('')));
    return 0;
  }
  const cmd = args[0]!;
  if (findInPath(t.ctx.fs, cmd, vars.PATH) === null) {
    await t.err(`can't execute '${cmd}': No such file or directory`);
    return 127;
  }
  return t.ctx.spawn(args, { env: vars });
}

export async function date(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'uRId:r:D:s:', long: { utc: { key: 'u', arg: 'none' }, date: { key: 'd', arg: 'required' }, reference: { key: 'r', arg: 'required' }, rfc2822: { key: 'R', arg: 'none' }, 'iso-8601': { key: 'I', arg: 'optional' } } });
  let ms = t.ctx.clock.now();
  const d = last(o, 'd');
  if (d !== undefined) {
    const v = parseDate(d, ms);
    if (v === null) return t.die(`invalid date '${d}'`);
    ms = v;
  }
  const ref = last(o, 'r');
  if (ref !== undefined) {
    const st = t.ctx.fs.tryStat(ref);
    if (!st) return t.die(`${ref}: No such file or directory`);
    ms = st.mtimeMs;
  }
  if (last(o, 's') !== undefined) return t.die("can't set date: Operation not permitted");
  let fmt = '%a %b %e %H:%M:%S %Z %Y';
  const plus = o.args.find((a) => a.startsWith('+'));
  if (plus !== undefined) fmt = plus.slice(1);
  else if (has(o, 'R')) fmt = '%a, %d %b %Y %H:%M:%S %z';
  else if (has(o, 'I')) {
    const spec = last(o, 'I') ?? '';
    fmt = spec.startsWith('s') ? '%Y-%m-%dT%H:%M:%S%z' : spec.startsWith('m') ? '%Y-%m-%dT%H:%M%z' : spec.startsWith('h') ? '%Y-%m-%dT%H%z' : '%Y-%m-%d';
  }
  await t.out(bytes(strftime(argBytes(fmt), ms) + '\n'));
  return 0;
}
