/**
 * The Launcher on top of the runtime's ProcessRunner: what runc and the
 * daemon do before a program starts, then the runner runs it.
 * - The user: Config.User ("name", "uid", "uid:gid", "name:group") looked
 *   up in the container's /etc/passwd and /etc/group; an unknown name is
 *   Docker's "unable to find user".
 * - The environment, as the daemon builds it: PATH (default), HOSTNAME,
 *   TERM=xterm with a tty, then Config.Env replacing or appending, and HOME
 *   from passwd when still unset.
 * - The working directory is created when missing (Docker does, and it then
 *   shows in `docker diff`).
 * - The program is looked up on PATH and checked for execute permission;
 *   failures carry runc's texts.
 */
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { User } from '../../runtime/process.js';
import { cannotMkdir, ociExecStartFailed, ociStartFailed, unknownUser } from '../errors.js';
import type { Launcher, LaunchSpec, PreparedLaunch } from './launcher.js';
import { envName } from './spec.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function resolveUser(fs: ProcessFs, spec: string): User {
  const [userPart = '', groupPart] = spec.split(':');
  const lines = (file: string): string[][] => {
    try {
      return fs
        .readFile(file)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.split(':'));
    } catch {
      return [];
    }
  };
  const passwd = lines('/etc/passwd');
  let uid = 0;
  let gid = 0;
  let name = 'root';
  let home = '/';
  if (userPart === '') {
    const entry = passwd.find((f) => f[2] === '0');
    if (entry) home = entry[5] || '/';
  } else if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const entry = passwd.find((f) => f[2] === userPart);
    name = entry?.[0] ?? userPart;
    gid = entry ? Number(entry[3]) : 0;
    home = entry?.[5] || '/';
  } else {
    const entry = passwd.find((f) => f[0] === userPart);
    if (!entry) throw unknownUser(userPart);
    name = userPart;
    uid = Number(entry[2]);
    gid = Number(entry[3]);
    home = entry[5] || '/';
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const group = lines('/etc/group').find((f) => f[0] === groupPart);
      if (!group) throw unknownUser(spec);
      gid = Number(group[2]);
    }
  }
  return { uid, gid, name, home };
}

/** container.CreateDaemonEnvironment + runc's HOME. */
export function processEnv(configEnv: readonly string[], hostname: string, tty: boolean, home: string): Record<string, string> {
  const list: string[] = [];
  if (!configEnv.some((e) => envName(e) === 'PATH')) list.push(`PATH=${DEFAULT_PATH}`);
  list.push(`HOSTNAME=${hostname}`);
  if (tty) list.push('TERM=xterm');
  for (const e of configEnv) {
    const i = list.findIndex((x) => envName(x) === envName(e));
    if (i === -1) list.push(e);
    else list[i] = e;
  }
  const env: Record<string, string> = {};
  for (const e of list) {
    const eq = e.indexOf('=');
    if (eq !== -1) env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  env.HOME ??= home;
  return env;
}

export const runtimeLauncher: Launcher = {
  async prepare(spec: LaunchSpec, mode): Promise<PreparedLaunch> {
    const { ProcessRunner, CannotStart, searchCommand } = await import('../../runtime/exec.js');
    const fail = (detail: string, status: number): Error => (mode === 'main' ? ociStartFailed(detail, status) : ociExecStartFailed(detail));
    const rootView = spec.fs.forProcess('/');
    const user = resolveUser(rootView, spec.user);
    const env = processEnv(spec.env, spec.container.hostname, spec.tty, user.home);
    const cwd = spec.cwd || '/';
    if (mode === 'main') {
      const st = rootView.tryStat(cwd);
      if (st && st.type !== 'dir') throw cannotMkdir(cwd);
      if (!st) {
        try {
          rootView.mkdir(cwd, { recursive: true, mode: 0o755 });
        } catch {
          throw cannotMkdir(cwd);
        }
      }
    }
    let fs: ProcessFs;
    try {
      fs = spec.fs.forProcess(cwd, { user: { uid: user.uid, gid: user.gid } });
    } catch {
      throw fail(`chdir to cwd ("${cwd}") set in config.json failed: no such file or directory`, 127);
    }
    const runner = new ProcessRunner({
      forProcess: (dir, options) => spec.fs.forProcess(dir, options),
      container: spec.container,
      user,
      firstPid: spec.pid,
    });
    const name = spec.argv[0] ?? '';
    const found = searchCommand(fs, name, env.PATH);
    if (found.kind === 'notfound') {
      throw fail(name.includes('/') ? `exec: "${name}": stat ${name}: no such file or directory` : `exec: "${name}": executable file not found in $PATH`, 127);
    }
    if (found.kind === 'denied') throw fail(`exec: "${name}": permission denied`, 126);
    return {
      async run() {
        let started;
        try {
          started = await runner.startMainProcess(spec.argv, {
            env,
            cwd,
            user,
            stdin: spec.stdin,
            stdout: spec.stdout,
            stderr: spec.stderr,
            pid1: spec.pid === 1,
          });
        } catch (err) {
          if (err instanceof CannotStart) throw fail(err.message, err.status);
          throw err;
        }
        // The caller's signals (docker stop/kill, a proxied ^C) reach the program.
        const off = spec.signals.onAnySignal((sig) => started.signals.send(sig));
        try {
          return (await started.exited).status;
        } finally {
          off();
        }
      },
    };
  },
};
