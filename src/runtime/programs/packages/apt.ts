/**
 * Debian/Ubuntu's `apt-get` (apt 1.6, Ubuntu 18.04) and `dpkg -l`, against
 * the offline index `fixtures/packages/ubuntu-bionic.json`.
 *
 *   apt-get update                 lists under /var/lib/apt/lists with their real sizes
 *   apt-get install [-y] PKG...    dependencies, files, /var/lib/dpkg/status and info/
 *   apt-get remove|purge PKG...    the files and the status entry
 *   apt-get clean                  the package caches
 *   dpkg -l [PATTERN]              the table of installed packages
 *
 * As in a fresh ubuntu image, nothing can be installed before `apt-get
 * update` ("E: Unable to locate package", status 100), and without -y apt
 * asks before installing more than was named, aborting when stdin is not a
 * terminal.
 */
import type { ProcessContext } from '../../process.js';
import type { ProcessFs } from '../../fs/process-fs.js';
import { installFile, removeFiles, seededBytes } from './contents.js';
import { planInstall } from './resolve.js';
import { depName, findPackage, loadIndex, type PackageIndex, type PackageSpec } from './spec.js';
import { patternToRegex } from '../../shell/pattern.js';

const LISTS = '/var/lib/apt/lists';
const STATUS = '/var/lib/dpkg/status';
const INFO = '/var/lib/dpkg/info';
const MIRROR = 'http://archive.ubuntu.com/ubuntu';

interface Stanza {
  name: string;
  version: string;
  text: string;
}

function parseStatus(text: string): Stanza[] {
  return text
    .split(/\n\n+/)
    .filter((b) => /^Package: /m.test(b))
    .map((b) => ({ name: /^Package: (.*)$/m.exec(b)?.[1] ?? '', version: /^Version: (.*)$/m.exec(b)?.[1] ?? '', text: `${b.trim()}\n` }));
}

function stanzaFor(p: PackageSpec, arch: string): string {
  const lines = [
    `Package: ${p.name}`,
    'Status: install ok installed',
    `Priority: ${p.priority ?? 'optional'}`,
    `Section: ${p.section ?? 'misc'}`,
    `Installed-Size: ${Math.ceil(p.installedSize / 1024)}`,
    'Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>',
    `Architecture: ${arch}`,
    `Version: ${p.version}`,
  ];
  if (p.depends.length > 0) lines.push(`Depends: ${p.depends.join(', ')}`);
  if (p.recommends) lines.push(`Recommends: ${p.recommends.join(', ')}`);
  lines.push(`Description: ${p.description}`);
  return `${lines.join('\n')}\n`;
}

/** apt's sizes: "154 kB", "1,302 kB", "33.5 MB" (decimal units). */
function aptSize(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** A package list as apt prints it: two-space indent, wrapped before 80 columns. */
function wrapNames(names: string[]): string {
  const lines: string[] = [];
  let cur = ' ';
  for (const n of names) {
    if (cur.length + 1 + n.length > 79 && cur.trim() !== '') {
      lines.push(cur);
      cur = ' ';
    }
    cur += ` ${n}`;
  }
  lines.push(cur);
  return `${lines.join('\n')}\n`;
}

class Apt {
  readonly index: PackageIndex = loadIndex('ubuntu-bionic');
  readonly fs: ProcessFs;
  constructor(readonly ctx: ProcessContext) {
    this.fs = ctx.fs;
  }
  async out(s: string): Promise<void> {
    await this.ctx.stdout.write(s);
  }
  async err(s: string): Promise<void> {
    await this.ctx.stderr.write(s);
  }
  status(): Stanza[] {
    return this.fs.tryStat(STATUS) ? parseStatus(this.fs.readFile(STATUS).toString('utf8')) : [];
  }
  writeStatus(stanzas: Stanza[]): void {
    this.fs.writeFile(STATUS, stanzas.map((s) => s.text).join('\n'));
  }
  hasLists(): boolean {
    return this.fs.tryStat(LISTS)?.type === 'dir' && this.fs.readdir(LISTS).some((n) => n.includes('_Packages'));
  }
  /** "Reading package lists..." and friends; " Done" only on a terminal, as apt's progress does. */
  async reading(withState: boolean): Promise<void> {
    const tty = this.ctx.stdout.isTTY;
    await this.out(tty ? 'Reading package lists... Done\n' : 'Reading package lists...\n');
    if (!withState) return;
    await this.out(tty ? 'Building dependency tree       \nReading state information... Done\n' : 'Building dependency tree...\nReading state information...\n');
  }
}

async function update(apt: Apt): Promise<number> {
  let n = 0;
  let total = 0;
  const fs = apt.fs;
  if (!fs.exists(`${LISTS}/partial`)) fs.mkdir(`${LISTS}/partial`, { recursive: true });
  for (const r of apt.index.repositories) {
    await apt.out(`Get:${++n} ${r.url} InRelease [${aptSize(r.indexSize)}]\n`);
    for (const [name, size] of Object.entries(r.lists ?? {})) {
      if (name.endsWith('InRelease')) continue;
      const m = /_dists_([^_]+)_([^_]+)_binary-amd64/.exec(name);
      await apt.out(`Get:${++n} ${r.url.split(' ')[0]} ${m?.[1] ?? ''}/${m?.[2] ?? ''} amd64 Packages [${aptSize(size * 3)}]\n`);
    }
    for (const [name, size] of Object.entries(r.lists ?? {})) {
      total += size;
      const h = fs.open(`${LISTS}/${name}`, { write: true, create: true, truncate: true, mode: 0o644 });
      try {
        const data = seededBytes(name, size);
        h.write(data, 0, data.length);
      } finally {
        h.close();
      }
    }
  }
  await apt.out(`Fetched ${aptSize(total)} in 4s (${aptSize(Math.round(total / 4))}/s)\n`);
  await apt.reading(false);
  return 0;
}

async function install(apt: Apt, names: string[], yes: boolean, recommends: boolean): Promise<number> {
  await apt.reading(true);
  const status = apt.status();
  const installed = (dep: string): boolean => {
    const name = depName(dep.split('|')[0]!);
    return status.some((s) => s.name === name) || findPackage(apt.index, name)?.base === true || apt.index.packages.some((p) => p.base && (p.provides ?? []).includes(name));
  };
  const lists = apt.hasLists();
  for (const n of names) {
    if (!lists || !findPackage(apt.index, n)) {
      await apt.err(`E: Unable to locate package ${n}\n`);
      return 100;
    }
  }
  const wanted = [...names];
  if (recommends) for (const n of names) wanted.push(...(findPackage(apt.index, n)?.recommends ?? []).filter((r) => !installed(r)));
  const plan = planInstall(apt.index, wanted, installed);
  const already = names.filter((n) => installed(n));
  for (const n of already) await apt.out(`${n} is already the newest version (${findPackage(apt.index, n)!.version}).\n`);
  const extra = plan.install.filter((p) => !names.includes(p.name));
  if (extra.length > 0) await apt.out(`The following additional packages will be installed:\n${wrapNames(extra.map((p) => p.name))}`);
  if (plan.install.length > 0) await apt.out(`The following NEW packages will be installed:\n${wrapNames(plan.install.map((p) => p.name).sort())}`);
  await apt.out(`0 upgraded, ${plan.install.length} newly installed, 0 to remove and 0 not upgraded.\n`);
  if (plan.install.length === 0) return 0;
  const download = plan.install.reduce((a, p) => a + p.size, 0);
  const disk = plan.install.reduce((a, p) => a + p.installedSize, 0);
  await apt.out(`Need to get ${aptSize(download)} of archives.\nAfter this operation, ${aptSize(disk)} of additional disk space will be used.\n`);
  if (extra.length > 0 && !yes) {
    await apt.out('Do you want to continue? [Y/n] ');
    const answer = apt.ctx.stdin.isTTY ? ((await apt.ctx.stdin.readLine()) ?? 'n') : null;
    if (answer === null || !/^(y|yes|)$/i.test(answer.trim())) {
      await apt.out('Abort.\n');
      return 1;
    }
  }
  for (const [i, p] of plan.install.entries()) {
    await apt.out(`Get:${i + 1} ${MIRROR} ${p.repo ?? 'bionic/main'} amd64 ${p.name} amd64 ${p.version} [${aptSize(p.size)}]\n`);
  }
  await apt.out('debconf: delaying package configuration, since apt-utils is not installed\n');
  await apt.out(`Fetched ${aptSize(download)} in 1s (${aptSize(download)}/s)\n`);
  let stanzas = status;
  let files = 4046;
  for (const p of plan.install) {
    await apt.out(`Selecting previously unselected package ${p.name}.\n`);
    await apt.out(`(Reading database ... ${files} files and directories currently installed.)\n`);
    await apt.out(`Preparing to unpack .../${p.name}_${p.version.replace(/^\d+:/, '')}_amd64.deb ...\nUnpacking ${p.name} (${p.version}) ...\n`);
    const written = p.files.map((f) => installFile(apt.fs, f));
    if (!apt.fs.exists(INFO)) apt.fs.mkdir(INFO, { recursive: true });
    apt.fs.writeFile(`${INFO}/${p.name}.list`, written.map((w) => `/${w.path}\n`).join(''));
    apt.fs.writeFile(`${INFO}/${p.name}.md5sums`, written.filter((w) => w.kind === 'file').map((w) => `${w.sha1.toString('hex').slice(0, 32)}  ${w.path}\n`).join(''));
    stanzas = [...stanzas.filter((s) => s.name !== p.name), { name: p.name, version: p.version, text: stanzaFor(p, apt.index.arch) }];
    files += written.length;
  }
  apt.writeStatus(stanzas);
  for (const p of plan.install) await apt.out(`Setting up ${p.name} (${p.version}) ...\n`);
  return 0;
}

async function remove(apt: Apt, names: string[], yes: boolean): Promise<number> {
  await apt.reading(true);
  let stanzas = apt.status();
  const gone = names.filter((n) => stanzas.some((s) => s.name === n));
  for (const n of names.filter((x) => !gone.includes(x))) {
    if (!findPackage(apt.index, n) || !apt.hasLists()) {
      await apt.err(`E: Unable to locate package ${n}\n`);
      return 100;
    }
    await apt.out(`Package '${n}' is not installed, so not removed\n`);
  }
  if (gone.length > 0) await apt.out(`The following packages will be REMOVED:\n${wrapNames(gone)}`);
  await apt.out(`0 upgraded, 0 newly installed, ${gone.length} to remove and 0 not upgraded.\n`);
  if (gone.length === 0) return 0;
  void yes;
  await apt.out(`(Reading database ... 4046 files and directories currently installed.)\n`);
  for (const n of gone) {
    const p = findPackage(apt.index, n);
    const version = stanzas.find((s) => s.name === n)?.version ?? '';
    await apt.out(`Removing ${n} (${version}) ...\n`);
    if (p) removeFiles(apt.fs, p.files);
    apt.fs.rm(`${INFO}/${n}.list`, { force: true });
    apt.fs.rm(`${INFO}/${n}.md5sums`, { force: true });
    stanzas = stanzas.filter((s) => s.name !== n);
  }
  apt.writeStatus(stanzas);
  return 0;
}

function clean(apt: Apt): number {
  for (const dir of ['/var/cache/apt/archives', '/var/cache/apt/archives/partial', '/var/cache/apt']) {
    if (apt.fs.tryStat(dir)?.type !== 'dir') continue;
    for (const n of apt.fs.readdir(dir)) if (n.endsWith('.deb') || n.endsWith('.bin')) apt.fs.rm(`${dir}/${n}`, { force: true });
  }
  return 0;
}

export async function aptGetMain(ctx: ProcessContext): Promise<number> {
  const apt = new Apt(ctx);
  const args = ctx.argv.slice(1);
  const flags = args.filter((a) => a.startsWith('-'));
  const words = args.filter((a) => !a.startsWith('-'));
  const yes = flags.some((f) => ['-y', '--yes', '--assume-yes', '-qy', '-yq', '-qq'].includes(f) || /^-[a-z]*y/.test(f));
  const recommends = !flags.includes('--no-install-recommends');
  const [command, ...names] = words;
  if (command === undefined) {
    await apt.out('apt 1.6.17 (amd64)\nUsage: apt-get [options] command\n       apt-get [options] install|remove pkg1 [pkg2 ...]\n       apt-get [options] source pkg1 [pkg2 ...]\n');
    return 1;
  }
  if (['update', 'install', 'remove', 'purge', 'clean'].includes(command) && ctx.user.uid !== 0) {
    await apt.err('E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n');
    return 100;
  }
  switch (command) {
    case 'update':
      return update(apt);
    case 'install':
      return install(apt, names, yes, recommends);
    case 'remove':
    case 'purge':
      return remove(apt, names, yes);
    case 'clean':
    case 'autoclean':
      return clean(apt);
    default:
      await apt.err(`E: Invalid operation ${command}\n`);
      return 100;
  }
}

/** `dpkg -l [PATTERN...]`: dpkg-query's table of packages. */
export async function dpkgMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args[0] !== '-l' && args[0] !== '--list') {
    await ctx.stderr.write(`dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType dpkg -Dhelp for a list of dpkg debug flag values;\nType dpkg --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !\n`);
    return 2;
  }
  const patterns = args.slice(1);
  const text = ctx.fs.tryStat(STATUS) ? ctx.fs.readFile(STATUS).toString('utf8') : '';
  const rows = parseStatus(text)
    .map((s) => ({ name: s.name, version: s.version, arch: /^Architecture: (.*)$/m.exec(s.text)?.[1] ?? 'amd64', desc: /^Description: (.*)$/m.exec(s.text)?.[1] ?? '' }))
    // dpkg-query matches package names with fnmatch(3).
    .filter((r) => patterns.length === 0 || patterns.some((p) => patternToRegex(p).test(r.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (rows.length === 0) {
    await ctx.stderr.write(patterns.length > 0 ? patterns.map((p) => `dpkg-query: no packages found matching ${p}\n`).join('') : '');
    if (patterns.length > 0) return 1;
  }
  const w = (k: 'name' | 'version' | 'arch', min: number): number => Math.max(min, ...rows.map((r) => r[k].length));
  const [nw, vw, aw] = [w('name', 14), w('version', 15), w('arch', 12)];
  const row = (a: string, n: string, v: string, ar: string, d: string): string => `${a} ${n.padEnd(nw)} ${v.padEnd(vw)} ${ar.padEnd(aw)} ${d}`.trimEnd() + '\n';
  let out = 'Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n';
  out += row('||/', 'Name', 'Version', 'Architecture', 'Description');
  out += `+++-${'='.repeat(nw)}-${'='.repeat(vw)}-${'='.repeat(aw)}-${'='.repeat(40)}\n`;
  for (const r of rows) out += row('ii ', r.name, r.version, r.arch, r.desc);
  await ctx.stdout.write(out);
  return 0;
}
