/**
 * The container's user and group databases: /etc/passwd and /etc/group read
 * through the process's filesystem view, as libc's getpwuid/getgrgid do.
 */
import type { ProcessFs } from '../../fs/process-fs.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

function readLines(fs: ProcessFs, path: string): string[][] {
  let data: string;
  try {
    data = fs.readFile(path).toString('utf8');
  } catch {
    // A missing or unreadable database means "no names", as with libc.
    return [];
  }
  return data
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

export class UserDb {
  private passwdCache: PasswdEntry[] | null = null;
  private groupCache: GroupEntry[] | null = null;
  constructor(private readonly fs: ProcessFs) {}

  passwd(): PasswdEntry[] {
    this.passwdCache ??= readLines(this.fs, '/etc/passwd')
      .filter((f) => f.length >= 4)
      .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '', shell: f[6] ?? '' }));
    return this.passwdCache;
  }

  groups(): GroupEntry[] {
    this.groupCache ??= readLines(this.fs, '/etc/group')
      .filter((f) => f.length >= 3)
      .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter((m) => m !== '') }));
    return this.groupCache;
  }

  userById(uid: number): PasswdEntry | undefined {
    return this.passwd().find((p) => p.uid === uid);
  }

  userByName(name: string): PasswdEntry | undefined {
    return this.passwd().find((p) => p.name === name);
  }

  groupById(gid: number): GroupEntry | undefined {
    return this.groups().find((g) => g.gid === gid);
  }

  groupByName(name: string): GroupEntry | undefined {
    return this.groups().find((g) => g.name === name);
  }

  /** A user's name, or the number as text when unknown (what ls -l prints). */
  userName(uid: number): string {
    return this.userById(uid)?.name ?? String(uid);
  }

  groupName(gid: number): string {
    return this.groupById(gid)?.name ?? String(gid);
  }
}
