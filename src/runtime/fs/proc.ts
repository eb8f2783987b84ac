/**
 * The container's /proc: what programs read to learn about processes, mounts
 * and the machine. As in Docker, the machine-wide files (cpuinfo, meminfo,
 * version, uptime, loadavg) describe the host kernel the container shares;
 * the process entries describe only the container's processes (its pid
 * namespace), and /proc/self is the pid of whichever process looks.
 *
 *   /proc/self -> <pid>             /proc/mounts -> self/mounts
 *   /proc/<pid>/cmdline comm status stat mounts fd/0..2
 *   /proc/cpuinfo meminfo version uptime loadavg
 *
 * /proc/<pid>/fd/N of the looking process opens the process's own fd (see
 * stdio.ts); Linux shows these as symlinks whose open is magic, here they
 * are nodes whose open returns a dup of the fd.
 */
import * as os from 'node:os';
import type { FileHandle } from '../../storage/backend.js';
import { procMounts } from './proc-mounts.js';
import { dupHandle, type ProcessIdentity } from './stdio.js';
import { SyntheticTree, type SynthNode } from './synthetic-tree.js';

/** One process of the container, as the runtime's process table knows it. */
export interface ProcEntry {
  pid: number;
  ppid?: number;
  argv: readonly string[];
  uid?: number;
  gid?: number;
}

/** The host as the container sees it; defaults come from the machine mydock runs on. */
export interface SystemInfo {
  cpus: readonly { model: string; mhz: number }[];
  memTotalKb: number;
  memFreeKb: number;
  /** `uname -r`. */
  kernelRelease: string;
  /** `uname -v`. */
  kernelVersion: string;
  uptimeSeconds: () => number;
  loadavg: () => readonly [number, number, number];
}

export interface ProcOptions {
  /** The container's processes (the looking process is added if missing). */
  processes?: () => readonly ProcEntry[];
  system?: Partial<SystemInfo>;
  bootTimeMs?: number;
}

function hostSystem(): SystemInfo {
  return {
    cpus: os.cpus().map((c) => ({ model: c.model, mhz: c.speed })),
    memTotalKb: Math.floor(os.totalmem() / 1024),
    memFreeKb: Math.floor(os.freemem() / 1024),
    kernelRelease: os.release(),
    kernelVersion: os.version(),
    uptimeSeconds: () => os.uptime(),
    loadavg: () => {
      const [a, b, c] = os.loadavg();
      return [a, b, c];
    },
  };
}

const dir = (entries: () => Record<string, SynthNode>, mode?: number): SynthNode => ({ type: 'dir', entries, mode });
const file = (content: () => string | Uint8Array, mode?: number): SynthNode => ({ type: 'file', content, mode });
const link = (target: () => string): SynthNode => ({ type: 'symlink', target });

export function createProcTree(options: ProcOptions = {}): SyntheticTree {
  const sys: SystemInfo = { ...hostSystem(), ...options.system };
  const build = (self: ProcessIdentity | null): SynthNode =>
    dir(() => {
      const procs = processList(options.processes?.() ?? [], self);
      const entries: Record<string, SynthNode> = {};
      for (const p of procs) entries[String(p.pid)] = pidDir(p, self);
      if (self) entries.self = link(() => String(self.pid));
      entries.mounts = link(() => 'self/mounts');
      entries.cpuinfo = file(() => cpuinfo(sys));
      entries.meminfo = file(() => meminfo(sys));
      entries.version = file(() => `Linux version ${sys.kernelRelease} (mydock@emulated) (gcc (GCC) 13.2.0, GNU ld 2.42) ${sys.kernelVersion}\n`);
      entries.uptime = file(() => {
        const up = sys.uptimeSeconds();
        return `${up.toFixed(2)} ${(up * sys.cpus.length * 0.9).toFixed(2)}\n`;
      });
      entries.loadavg = file(() => {
        const [a, b, c] = sys.loadavg();
        const last = procs.length > 0 ? Math.max(...procs.map((p) => p.pid)) : 0;
        return `${a.toFixed(2)} ${b.toFixed(2)} ${c.toFixed(2)} 1/${procs.length} ${last}\n`;
      });
      entries.filesystems = file(() => 'nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevpts\nnodev\tmqueue\nnodev\tcgroup2\nnodev\toverlay\n\text4\n');
      return entries;
    }, 0o555);

  const pidDir = (p: ProcEntry, self: ProcessIdentity | null): SynthNode => {
    const mine = self !== null && self.pid === p.pid;
    const comm = (p.argv[0] ?? '').split('/').pop()?.slice(0, 15) ?? '';
    // A process's directories belong to its user, so it can reach its own fds.
    const owner = { uid: p.uid ?? 0, gid: p.gid ?? 0 };
    return {
      type: 'dir',
      mode: 0o555,
      ...owner,
      entries: () => ({
        cmdline: file(() => p.argv.map((a) => a + '\0').join('')),
        comm: file(() => comm + '\n'),
        status: file(() => status(p, comm)),
        stat: file(() => statLine(p, comm)),
        mounts: file(() => procMounts(self?.mounts() ?? [])),
        // Only the looking process's own fds are reachable: another
        // process's would need its handles, which the runtime keeps.
        fd: { type: 'dir', mode: 0o500, ...owner, entries: () => (mine && self ? fdEntries(self) : {}) },
      }),
    };
  };
  return new SyntheticTree('proc', build, options.bootTimeMs ?? Date.now());
}

/** The container's processes plus the looking one, sorted by pid. */
function processList(listed: readonly ProcEntry[], self: ProcessIdentity | null): ProcEntry[] {
  const byPid = new Map(listed.map((p) => [p.pid, p]));
  if (self) {
    const listedSelf = byPid.get(self.pid);
    byPid.set(self.pid, { argv: self.argv, ...listedSelf, pid: self.pid, uid: self.user.uid, gid: self.user.gid });
  }
  return [...byPid.values()].sort((a, b) => a.pid - b.pid);
}

function fdEntries(self: ProcessIdentity): Record<string, SynthNode> {
  const fds: [string, FileHandle | undefined][] = [
    ['0', self.stdio.stdin],
    ['1', self.stdio.stdout],
    ['2', self.stdio.stderr],
  ];
  const out: Record<string, SynthNode> = {};
  for (const [n, h] of fds) {
    if (!h) continue;
    const { uid, gid } = self.user;
    out[n] = { type: 'opener', fileType: h.stat().type, mode: 0o700, uid, gid, open: () => dupHandle(h) };
  }
  return out;
}

function status(p: ProcEntry, comm: string): string {
  const uid = p.uid ?? 0;
  const gid = p.gid ?? 0;
  return [
    `Name:\t${comm}`,
    'Umask:\t0022',
    'State:\tS (sleeping)',
    `Tgid:\t${p.pid}`,
    'Ngid:\t0',
    `Pid:\t${p.pid}`,
    `PPid:\t${p.ppid ?? 0}`,
    'TracerPid:\t0',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    'FDSize:\t64',
    'Threads:\t1',
    '',
  ].join('\n');
}

/** /proc/<pid>/stat: 52 fields; busybox ps reads pid, comm, state, ppid and the times. */
function statLine(p: ProcEntry, comm: string): string {
  const fields = [String(p.pid), `(${comm})`, 'S', String(p.ppid ?? 0), String(p.pid), String(p.pid)];
  while (fields.length < 52) fields.push('0');
  fields[19] = '1'; // num_threads
  return fields.join(' ') + '\n';
}

function cpuinfo(sys: SystemInfo): string {
  return sys.cpus
    .map((c, i) =>
      [
        `processor\t: ${i}`,
        'vendor_id\t: GenuineIntel',
        `model name\t: ${c.model}`,
        `cpu MHz\t\t: ${c.mhz.toFixed(3)}`,
        `physical id\t: 0`,
        `siblings\t: ${sys.cpus.length}`,
        `core id\t\t: ${i}`,
        `cpu cores\t: ${sys.cpus.length}`,
        `bogomips\t: ${(c.mhz * 2).toFixed(2)}`,
        '',
        '',
      ].join('\n'),
    )
    .join('');
}

function meminfo(sys: SystemInfo): string {
  const row = (name: string, kb: number): string => `${(name + ':').padEnd(16)}${String(kb).padStart(8)} kB\n`;
  return (
    row('MemTotal', sys.memTotalKb) +
    row('MemFree', sys.memFreeKb) +
    row('MemAvailable', sys.memFreeKb) +
    row('Buffers', 0) +
    row('Cached', 0) +
    row('SwapCached', 0) +
    row('SwapTotal', 0) +
    row('SwapFree', 0) +
    row('Shmem', 0)
  );
}
