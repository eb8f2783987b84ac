/**
 * Alpine's `apk` (apk-tools 2.12): add, del, update, info against the
 * offline index `fixtures/packages/alpine-v3.17.json`.
 *
 *   apk add [--no-cache] [-U|--update-cache] PKG...   resolve, write files, update the db
 *   apk del PKG...                                   purge PKG and what nothing else needs
 *   apk update                                       store the indexes under /var/cache/apk
 *   apk info [-v] [PKG...]                           list or describe installed packages
 *
 * What lands in the container is what the real tool writes: the packages'
 * files, `/lib/apk/db/installed` rewritten whole, `/lib/apk/db/scripts.tar`,
 * `/etc/apk/world`, `/etc/shells` for a shell; the repository indexes are
 * kept under `/var/cache/apk/` unless `--no-cache` (which is why the seed's
 * `RUN apk add --no-cache bash` layer is 2.24MB and no more).
 */
import { createHash } from 'node:crypto';
import type { ProcessContext } from '../../process.js';
import type { ProcessFs } from '../../fs/process-fs.js';
import { encodeHeader, padding, TRAILER } from '../../../storage/tar/header.js';
import { INSTALLED, parseInstalled, recordFor, serializeInstalled, SCRIPTS, TRIGGERS, WORLD, packageChecksum, type ApkRecord } from './apk-db.js';
import { installFile, removeFiles, seededBytes, type WrittenFile } from './contents.js';
import { planInstall, planRemoval } from './resolve.js';
import { depName, findPackage, loadIndex, providerOf, type PackageIndex, type PackageSpec, type RepositorySpec } from './spec.js';

const CACHE_DIR = '/var/cache/apk';
const MIB = 1024 * 1024;

interface Options {
  noCache: boolean;
  updateCache: boolean;
  quiet: boolean;
  verbose: number;
}

class Apk {
  readonly index: PackageIndex = loadIndex('alpine-v3.17');
  private readonly fs: ProcessFs;

  constructor(readonly ctx: ProcessContext) {
    this.fs = ctx.fs;
  }

  async out(line: string): Promise<void> {
    await this.ctx.stdout.write(`${line}\n`);
  }
  async err(line: string): Promise<void> {
    await this.ctx.stderr.write(`${line}\n`);
  }

  // ---- state ------------------------------------------------------------------

  records(): ApkRecord[] {
    return parseInstalled(this.readText(INSTALLED));
  }

  readText(path: string): string {
    return this.fs.tryStat(path) ? this.fs.readFile(path).toString('utf8') : '';
  }

  world(): string[] {
    return this.readText(WORLD).split('\n').filter((l) => l !== '');
  }

  /** The repositories of /etc/apk/repositories this index knows. */
  repositories(): { url: string; spec: RepositorySpec | undefined }[] {
    return this.readText('/etc/apk/repositories')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((url) => ({ url, spec: this.index.repositories.find((r) => r.url === url.replace(/\/$/, '')) }));
  }

  cacheFile(url: string): string {
    return `${CACHE_DIR}/APKINDEX.${createHash('sha1').update(url).digest('hex').slice(0, 8)}.tar.gz`;
  }

  /** Fetches (prints) the indexes; stores them unless `store` is false. Returns the usable repositories. */
  async loadRepositories(o: Options): Promise<Set<string>> {
    const usable = new Set<string>();
    const fetch = o.noCache || o.updateCache;
    for (const r of this.repositories()) {
      if (fetch) {
        if (!o.quiet) await this.out(`fetch ${r.url}/${this.index.arch}/APKINDEX.tar.gz`);
        if (r.spec && !o.noCache) this.storeIndex(r.url, r.spec);
        if (r.spec) usable.add(r.spec.name);
      } else if (r.spec && this.fs.exists(this.cacheFile(r.url))) {
        usable.add(r.spec.name);
      } else {
        await this.err(`WARNING: Ignoring ${r.url}: No such file or directory`);
      }
    }
    return usable;
  }

  storeIndex(url: string, spec: RepositorySpec): void {
    if (!this.fs.exists(CACHE_DIR)) this.fs.mkdir(CACHE_DIR, { recursive: true });
    const path = this.cacheFile(url);
    const h = this.fs.open(path, { write: true, create: true, truncate: true, mode: 0o644 });
    try {
      const data = seededBytes(`${url}/APKINDEX.tar.gz`, spec.indexSize);
      h.write(data, 0, data.length);
    } finally {
      h.close();
    }
  }

  /** Whether an installed package (or the filesystem, for a path) satisfies `dep`. */
  satisfied(records: readonly ApkRecord[], dep: string): boolean {
    const name = depName(dep);
    if (name.startsWith('/')) return this.fs.exists(name);
    if (records.some((r) => r.name === name)) return true;
    return records.some((r) => (findPackage(this.index, r.name)?.provides ?? []).some((p) => depName(p) === name));
  }

  /** Bytes of the installed packages' files, what "OK: n MiB" reports. */
  installedBytes(records: readonly ApkRecord[]): number {
    let total = 0;
    for (const r of records) {
      const p = findPackage(this.index, r.name);
      if (p?.base && p.bytes !== undefined) total += p.bytes;
      else if (p && p.files.length > 0) total += p.files.reduce((a, f) => a + ('program' in f ? f.size : 'data' in f ? f.data : 'text' in f ? Buffer.byteLength(f.text) : 0), 0);
      else total += r.installedSize;
    }
    return total;
  }

  async ok(records: readonly ApkRecord[]): Promise<void> {
    await this.out(`OK: ${Math.floor(this.installedBytes(records) / MIB)} MiB in ${records.length} packages`);
  }

  // ---- writing the db --------------------------------------------------------------

  writeDb(records: readonly ApkRecord[], world: readonly string[]): void {
    this.fs.writeFile(INSTALLED, serializeInstalled(records));
    this.fs.writeFile(WORLD, world.length > 0 ? `${[...new Set(world)].sort().join('\n')}\n` : '');
    // Triggers of installed packages: busybox watches the binary directories.
    const triggers = records
      .filter((r) => r.name === 'busybox' || r.name === 'ca-certificates')
      .map((r) => `${r.lines.find((l) => l.startsWith('C:'))?.slice(2) ?? ''} ${r.name === 'busybox' ? '/bin /usr/bin /sbin /usr/sbin /lib/modules/*' : '/usr/share/ca-certificates /etc/ssl/certs'}\n`);
    this.fs.writeFile(TRIGGERS, triggers.join(''));
  }

  /** Appends a package's scripts to scripts.tar (named `<pkg>-<ver>.<checksum>.<script>` as apk names them). */
  addScripts(p: PackageSpec): void {
    if (!p.scripts) return;
    let tar = this.fs.tryStat(SCRIPTS) ? this.fs.readFile(SCRIPTS) : Buffer.alloc(0);
    tar = stripTrailer(tar);
    const parts: Buffer[] = [tar];
    for (const [name, body] of Object.entries(p.scripts)) {
      const data = Buffer.from(body);
      parts.push(encodeHeader({ name: `${p.name}-${p.version}.${packageChecksum(p)}.${name}`, typeflag: '0', mode: 0o100755, uid: 0, gid: 0, size: data.length, mtime: 1676000000, linkname: '', devmajor: 0, devminor: 0 }));
      parts.push(data, Buffer.alloc(padding(data.length)));
    }
    parts.push(TRAILER);
    this.fs.writeFile(SCRIPTS, Buffer.concat(parts));
  }
}

function stripTrailer(tar: Buffer): Buffer {
  let end = tar.length;
  while (end >= 512 && tar.subarray(end - 512, end).every((b) => b === 0)) end -= 512;
  return tar.subarray(0, end);
}

// ---- commands -----------------------------------------------------------------------

async function add(apk: Apk, names: string[], o: Options): Promise<number> {
  const usable = await apk.loadRepositories(o);
  let records = apk.records();
  const plan = planInstall(apk.index, names, (d) => apk.satisfied(records, d), (p) => p.base === true || usable.has(p.repo ?? 'main'));
  if (plan.missing.length > 0) {
    await apk.err('ERROR: unable to select packages:');
    for (const m of plan.missing) {
      await apk.err(`  ${m.name} (no such package):`);
      await apk.err(`    required by: ${m.requiredBy ? `${m.requiredBy.name}-${m.requiredBy.version}[${m.name}]` : `world[${m.name}]`}`);
    }
    return 1;
  }
  const triggers = new Set<string>();
  const n = plan.install.length;
  for (const [i, p] of plan.install.entries()) {
    if (!o.quiet) await apk.out(`(${i + 1}/${n}) Installing ${p.name} (${p.version})`);
    if (p.scripts?.['pre-install']) {
      if (!o.quiet) await apk.out(`  Executing ${p.name}-${p.version}.pre-install`);
      preInstall(apk.ctx.fs, p);
    }
    const written: WrittenFile[] = p.files.map((f) => installFile(apk.ctx.fs, f));
    for (const f of written) {
      if (/^(usr\/)?s?bin\//.test(f.path)) triggers.add('busybox');
      if (/^(usr\/share\/ca-certificates|etc\/ssl\/certs)\//.test(f.path)) triggers.add('ca-certificates');
    }
    records = [...records.filter((r) => r.name !== p.name), recordFor(p, apk.index.arch, written)];
    apk.addScripts(p);
    if (p.scripts?.['post-install']) {
      if (!o.quiet) await apk.out(`  Executing ${p.name}-${p.version}.post-install`);
      for (const sh of p.shells ?? []) addShell(apk.ctx.fs, sh);
    }
  }
  const world = [...apk.world(), ...names];
  apk.writeDb(records, world);
  for (const r of records) {
    if (triggers.has(r.name) && !o.quiet) await apk.out(`Executing ${r.name}-${r.version}.trigger`);
  }
  await apk.ok(records);
  return 0;
}

async function del(apk: Apk, names: string[], o: Options): Promise<number> {
  let records = apk.records();
  const world = apk.world().filter((w) => !names.includes(w));
  const gone = planRemoval(apk.index, records.map((r) => r.name), [...world, ...records.filter((r) => !findPackage(apk.index, r.name)).map((r) => r.name)]);
  const triggers = new Set<string>();
  for (const [i, name] of gone.entries()) {
    const p = findPackage(apk.index, name);
    const r = records.find((x) => x.name === name);
    if (!p || !r) continue;
    if (!o.quiet) await apk.out(`(${i + 1}/${gone.length}) Purging ${p.name} (${r.version})`);
    if (p.scripts?.['pre-deinstall']) {
      if (!o.quiet) await apk.out(`  Executing ${p.name}-${r.version}.pre-deinstall`);
      for (const sh of p.shells ?? []) removeShell(apk.ctx.fs, sh);
    }
    removeFiles(apk.ctx.fs, p.files);
    if (p.files.some((f) => /^(usr\/)?s?bin\//.test(f.path))) triggers.add('busybox');
    records = records.filter((x) => x.name !== name);
  }
  apk.writeDb(records, world);
  for (const r of records) {
    if (triggers.has(r.name) && !o.quiet) await apk.out(`Executing ${r.name}-${r.version}.trigger`);
  }
  await apk.ok(records);
  return 0;
}

async function update(apk: Apk, o: Options): Promise<number> {
  const usable = await apk.loadRepositories({ ...o, updateCache: true });
  let total = 0;
  for (const r of apk.repositories()) {
    if (!r.spec || !usable.has(r.spec.name)) continue;
    await apk.out(`${r.spec.description ?? ''} [${r.url}]`);
    total += r.spec.packages ?? 0;
  }
  await apk.out(`OK: ${total} distinct packages available`);
  return 0;
}

async function info(apk: Apk, names: string[], o: Options): Promise<number> {
  const records = apk.records();
  if (names.length === 0) {
    for (const r of records) {
      const p = findPackage(apk.index, r.name);
      if (o.verbose >= 2) await apk.out(`${r.name}-${r.version} - ${p?.description ?? r.lines.find((l) => l.startsWith('T:'))?.slice(2) ?? ''}`);
      else await apk.out(o.verbose === 1 ? `${r.name}-${r.version}` : r.name);
    }
    return 0;
  }
  for (const name of names) {
    const r = records.find((x) => x.name === name);
    const p = r ? findPackage(apk.index, name) : providerOf(apk.index, name);
    if (!p) continue;
    const id = `${p.name}-${r?.version ?? p.version}`;
    await apk.out(`${id} description:\n${p.description}\n`);
    await apk.out(`${id} webpage:\n${p.url ?? ''}\n`);
    await apk.out(`${id} ${r ? 'installed size' : 'installed size'}:\n${Math.round(p.installedSize / 1024)} KiB\n`);
  }
  return 0;
}

// ---- maintainer scripts' effects ---------------------------------------------------------

function addShell(fs: ProcessFs, shell: string): void {
  const text = fs.tryStat('/etc/shells') ? fs.readFile('/etc/shells').toString('utf8') : '';
  if (text.split('\n').includes(shell)) return;
  fs.writeFile('/etc/shells', `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${shell}\n`);
}

function removeShell(fs: ProcessFs, shell: string): void {
  if (!fs.tryStat('/etc/shells')) return;
  const lines = fs.readFile('/etc/shells').toString('utf8').split('\n');
  fs.writeFile('/etc/shells', lines.filter((l) => l !== shell).join('\n'));
}

/** nginx's pre-install adds its system user and group, as `adduser -S` does. */
function preInstall(fs: ProcessFs, p: PackageSpec): void {
  if (p.name !== 'nginx') return;
  const append = (path: string, line: string, key: string): void => {
    const text = fs.tryStat(path) ? fs.readFile(path).toString('utf8') : '';
    if (text.split('\n').some((l) => l.startsWith(`${key}:`))) return;
    fs.writeFile(path, `${text}${line}\n`);
  };
  append('/etc/group', 'nginx:x:101:nginx', 'nginx');
  append('/etc/passwd', 'nginx:x:100:101:nginx:/var/lib/nginx:/sbin/nologin', 'nginx');
  append('/etc/shadow', 'nginx:!::0:::::', 'nginx');
}

// ---- entry ------------------------------------------------------------------------

const USAGE = `apk-tools 2.12.10, compiled for x86_64.

usage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]

Package installation and removal:
  add        Add packages to WORLD and commit changes
  del        Remove packages from WORLD and commit changes

System maintenance:
  update     Update repository indexes

Querying package information:
  info       Give detailed information about packages or repositories

This apk has coffee making abilities.
`;

export async function apkMain(ctx: ProcessContext): Promise<number> {
  const apk = new Apk(ctx);
  const o: Options = { noCache: false, updateCache: false, quiet: false, verbose: 0 };
  const args: string[] = [];
  let command: string | null = null;
  for (const a of ctx.argv.slice(1)) {
    if (a === '--no-cache') o.noCache = true;
    else if (a === '-U' || a === '--update-cache' || a === '--update') o.updateCache = true;
    else if (a === '-q' || a === '--quiet') o.quiet = true;
    else if (a === '-v' || a === '--verbose') o.verbose++;
    else if (a === '-vv') o.verbose += 2;
    else if (a === '-V' || a === '--version') {
      await apk.out('apk-tools 2.12.10, compiled for x86_64.');
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      if (['--no-progress', '--progress', '-i', '--interactive', '-f', '--force', '--purge', '--clean-protected', '--no-scripts'].includes(a)) continue;
      await apk.err(`apk: unrecognized option '${a.replace(/^-+/, '')}'`);
      return 1;
    } else if (command === null) command = a;
    else args.push(a);
  }
  if (command === null) {
    await ctx.stdout.write(USAGE);
    return 1;
  }
  const mutating = command === 'add' || command === 'del' || command === 'update';
  if (mutating && ctx.user.uid !== 0) {
    await apk.err('ERROR: Unable to lock database: Permission denied');
    await apk.err('ERROR: Failed to open apk database: Permission denied');
    return 99;
  }
  switch (command) {
    case 'add':
      if (args.length === 0) {
        await ctx.stdout.write(USAGE);
        return 1;
      }
      return add(apk, args, o);
    case 'del':
      return del(apk, args, o);
    case 'update':
      return update(apk, o);
    case 'info':
      return info(apk, args, o);
    default:
      await apk.err(`apk: unknown command '${command}'`);
      return 1;
  }
}
