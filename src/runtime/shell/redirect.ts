/**
 * Redirections: a new file-descriptor table derived from the current one.
 * Files opened here are closed by `close()` when the redirected command
 * ends (or never, for `exec >file`, which replaces the shell's table).
 */
import { FsError, type FileHandle } from '../../storage/backend.js';
import { BufferInput, EmptyInput, FileInput, FileOutput, NullOutput } from '../streams.js';
import type { Redir } from './ast.js';
import { ShellError } from './errors.js';
import type { Expander } from './expand.js';
import type { Fd, ShellState } from './state.js';

/** ash's errmsg(): its own short text for ENOENT, the C library's text otherwise. */
export function errmsg(err: unknown, enoentText: string): string {
  if (err instanceof FsError) return err.code === 'ENOENT' ? enoentText : err.text;
  return err instanceof Error ? err.message : String(err);
}

export interface Redirected {
  fds: Map<number, Fd>;
  close(): void;
}

/** Device paths that behave the same in every container; handled here so they work on any filesystem view. */
function deviceFd(path: string, fds: Map<number, Fd>, forOutput: boolean): Fd | null {
  switch (path) {
    case '/dev/null':
      return forOutput ? { output: new NullOutput(), input: new EmptyInput() } : { input: new EmptyInput(), output: new NullOutput() };
    case '/dev/stdin':
    case '/dev/fd/0':
      return fds.get(0) ?? null;
    case '/dev/stdout':
    case '/dev/fd/1':
      return fds.get(1) ?? null;
    case '/dev/stderr':
    case '/dev/fd/2':
      return fds.get(2) ?? null;
  }
  return null;
}

export async function applyRedirections(redirs: Redir[], state: ShellState, expander: Expander, base: Map<number, Fd>): Promise<Redirected> {
  const fds = new Map(base);
  const handles: FileHandle[] = [];
  const close = (): void => {
    for (const h of handles.splice(0)) {
      try {
        h.close();
      } catch {
        // Closing cannot fail in a way a shell reports.
      }
    }
  };
  try {
    for (const r of redirs) {
      const isInput = r.op === '<' || r.op === '<&' || r.op === '<>' || r.op === '<<' || r.op === '<<-';
      const fd = r.fd ?? (isInput ? 0 : 1);
      if (r.op === '<<' || r.op === '<<-') {
        const body = r.heredoc ? (r.heredoc.quoted ? await expander.string(r.heredoc.body) : await expander.string(r.heredoc.body)) : '';
        fds.set(fd, { input: new BufferInput(body) });
        continue;
      }
      const expanded = expander.string(r.target);
      const target = expanded instanceof Promise ? await expanded : expanded;
      if (r.op === '<&' || r.op === '>&') {
        if (target === '-') {
          fds.delete(fd);
          continue;
        }
        if (/^[0-9]+$/.test(target)) {
          const src = fds.get(Number(target));
          if (!src) throw new ShellError(`${target}: Bad file descriptor`, 1);
          fds.set(fd, src);
          continue;
        }
        if (r.op === '<&') throw new ShellError(`${target}: Bad file descriptor`, 1);
        // `>&file` (no fd): bash's form of `&>file`, which busybox accepts.
        if (r.fd !== null) throw new ShellError(`${target}: Bad file descriptor`, 1);
      }
      const both = r.op === '&>' || r.op === '>&';
      const dev = deviceFd(target, fds, !isInput);
      if (dev) {
        fds.set(fd, dev);
        if (both) fds.set(2, dev);
        continue;
      }
      let handle: FileHandle;
      const mode = 0o666 & ~state.umask;
      try {
        switch (r.op) {
          case '<':
            handle = state.fs.open(target, { read: true });
            break;
          case '<>':
            handle = state.fs.open(target, { read: true, write: true, create: true, mode });
            break;
          case '>>':
            handle = state.fs.open(target, { write: true, create: true, append: true, mode });
            break;
          default: {
            if (r.op === '>' && state.options.noclobber) {
              const st = state.fs.tryStat(target);
              if (st && st.type === 'file') throw new FsError('EEXIST', target, 'open');
            }
            handle = state.fs.open(target, { write: true, create: true, truncate: true, mode });
          }
        }
        if (handle.stat().type === 'dir') {
          handle.close();
          throw new FsError('EISDIR', target, 'open');
        }
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        if (r.op === '<') throw new ShellError(`can't open ${target}: ${errmsg(err, 'no such file')}`, 1);
        throw new ShellError(`can't create ${target}: ${errmsg(err, 'nonexistent directory')}`, 1);
      }
      handles.push(handle);
      const entry: Fd = r.op === '<' ? { input: new FileInput(handle) } : r.op === '<>' ? { input: new FileInput(handle), output: new FileOutput(handle) } : { output: new FileOutput(handle) };
      fds.set(fd, entry);
      if (both) fds.set(2, entry);
    }
  } catch (err) {
    close();
    throw err;
  }
  return { fds, close };
}
