/**
 * grep (and egrep/fgrep): busybox's findutils/grep.c. Status 0 when a line
 * was selected, 1 when none, 2 on an error (unless -q found a match).
 */
import { has, last } from './lib/getopt.js';
import { argBytes, lines, openChunks, Out } from './lib/io.js';
import { joinPath } from './lib/paths.js';
import { compile, RegexError } from './lib/regex.js';
import { isFsError, type Tool } from './lib/tool.js';

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function buildMatcher(patterns: string[], o: { fixed: boolean; extended: boolean; icase: boolean; word: boolean; line: boolean }): RegExp[] {
  return patterns.map((p) => {
    let src = o.fixed ? escapeRe(p) : compile(p, { extended: o.extended }).source;
    if (o.line) src = `^(?:${src})$`;
    else if (o.word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
    return new RegExp(src, o.icase ? 'gi' : 'g');
  });
}

export async function grep(t: Tool): Promise<number> {
  const mode = t.name === 'egrep' ? 'E' : t.name === 'fgrep' ? 'F' : '';
  const o = await t.opts({
    short: 'HhnlLoqvsrRiwFEzm:A:B:C:e:f:xcZa',
    long: { 'ignore-case': { key: 'i', arg: 'none' }, recursive: { key: 'r', arg: 'none' }, regexp: { key: 'e', arg: 'required' }, 'files-with-matches': { key: 'l', arg: 'none' }, count: { key: 'c', arg: 'none' }, quiet: { key: 'q', arg: 'none' }, silent: { key: 'q', arg: 'none' }, 'invert-match': { key: 'v', arg: 'none' }, 'line-number': { key: 'n', arg: 'none' }, color: { key: 'color', arg: 'optional' }, colour: { key: 'color', arg: 'optional' } },
  });
  const fs = t.ctx.fs;
  const args = [...o.args];
  let patterns: string[] = [...(o.values.get('e') ?? [])].map(argBytes);
  for (const f of o.values.get('f') ?? []) {
    try {
      patterns.push(...fs.readFile(f).toString('latin1').split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''));
    } catch (e) {
      await t.errPath(f, e);
      return 2;
    }
  }
  if (!has(o, 'e') && !has(o, 'f')) {
    if (args.length === 0) {
      await t.usage();
      return 2;
    }
    patterns = argBytes(args.shift()!).split('\n');
  }
  const fixed = has(o, 'F') || mode === 'F';
  const extended = has(o, 'E') || mode === 'E';
  let res: RegExp[];
  try {
    res = buildMatcher(patterns, { fixed, extended, icase: has(o, 'i'), word: has(o, 'w'), line: has(o, 'x') });
  } catch (e) {
    if (e instanceof RegexError) return t.die(`bad regex '${patterns[0]}': ${e.message}`, 2);
    throw e;
  }
  const invert = has(o, 'v');
  const recursive = has(o, 'r') || has(o, 'R');
  const files = args.length === 0 ? [recursive ? '.' : '-'] : args;
  const withName = has(o, 'H') || (!has(o, 'h') && (files.length > 1 || recursive));
  const maxCount = last(o, 'm') !== undefined ? Number(last(o, 'm')) : Infinity;
  const after = Number(last(o, 'A') ?? last(o, 'C') ?? 0);
  const before = Number(last(o, 'B') ?? last(o, 'C') ?? 0);
  const quiet = has(o, 'q');
  const out = new Out(t.ctx.stdout);
  let anyMatch = false;
  let error = false;

  const matches = (line: string): boolean => res.some((r) => {
    r.lastIndex = 0;
    return r.test(line);
  });

  // Failures on files found while recursing are reported but, as in busybox, leave the status alone.
  const grepOne = async (name: string, display: string, operand = true): Promise<void> => {
    let chunks;
    try {
      chunks = openChunks(fs, t.ctx.stdin, name);
    } catch (e) {
      if (!isFsError(e)) throw e;
      if (!has(o, 's')) {
        await out.flush();
        await t.errPath(name, e);
      }
      if (operand) error = true;
      return;
    }
    let count = 0;
    let lineNo = 0;
    let lastPrinted = 0;
    let afterLeft = 0;
    const ring: { no: number; s: string }[] = [];
    const prefix = (no: number, sep: string): string => (withName ? display + sep : '') + (has(o, 'n') ? `${no}${sep}` : '');
    try {
      for await (const l of lines(chunks, has(o, 'z') ? '\0' : '\n')) {
        lineNo++;
        const selected = matches(l.s) !== invert;
        if (!selected) {
          if (afterLeft > 0 && !has(o, 'c') && !has(o, 'l') && !has(o, 'L') && !quiet) {
            await out.put(prefix(lineNo, '-') + l.s + '\n');
            lastPrinted = lineNo;
            afterLeft--;
          } else if (before > 0) {
            ring.push({ no: lineNo, s: l.s });
            if (ring.length > before) ring.shift();
          }
          continue;
        }
        count++;
        anyMatch = true;
        if (quiet) {
          await chunks.return(undefined);
          return;
        }
        if (has(o, 'l') || has(o, 'L')) break;
        if (!has(o, 'c')) {
          if ((before > 0 || after > 0) && lastPrinted > 0 && (ring[0]?.no ?? lineNo) > lastPrinted + 1) await out.put('--\n');
          for (const r of ring) await out.put(prefix(r.no, '-') + r.s + '\n');
          ring.length = 0;
          if (has(o, 'o') && !invert) {
            for (const r of res) {
              r.lastIndex = 0;
              let m: RegExpExecArray | null;
              while ((m = r.exec(l.s)) !== null) {
                if (m[0] === '') {
                  r.lastIndex++;
                  continue;
                }
                await out.put(prefix(lineNo, ':') + m[0] + '\n');
              }
            }
          } else if (!has(o, 'o')) await out.put(prefix(lineNo, ':') + l.s + '\n');
          lastPrinted = lineNo;
          afterLeft = after;
        }
        if (count >= maxCount) break;
      }
    } catch (e) {
      if (!isFsError(e)) throw e;
      // A directory named without -r reads as nothing, silently.
      if (e.code !== 'EISDIR') {
        error = true;
        if (!has(o, 's')) await t.errPath(name, e);
      }
    }
    if (has(o, 'c')) await out.put((withName ? display + ':' : '') + `${count}\n`);
    if (has(o, 'l') && count > 0) await out.put(display + '\n');
    if (has(o, 'L') && count === 0) await out.put(display + '\n');
  };

  const walk = async (path: string, top: boolean): Promise<void> => {
    const st = top || has(o, 'R') ? fs.tryStat(path) : fs.tryLstat(path);
    if (st && st.type === 'dir') {
      let names: string[] = [];
      try {
        names = fs.readdir(path);
      } catch (e) {
        if (!has(o, 's')) await t.errPath(path, e);
        error = true;
        return;
      }
      for (const n of names) {
        await walk(joinPath(path, n), false);
        if (quiet && anyMatch) return;
      }
      return;
    }
    // -r does not descend through a symlink to a directory, but reads a symlink to a file (and fails on a dangling one).
    if (st && st.type === 'symlink' && fs.tryStat(path)?.type === 'dir') return;
    await grepOne(path, argBytes(path), top);
  };

  for (const f of files) {
    if (recursive && f !== '-') await walk(f, true);
    else await grepOne(f, f === '-' ? '(standard input)' : argBytes(f));
    if (quiet && anyMatch) break;
  }
  await out.flush();
  if (quiet && anyMatch) return 0;
  if (error) return 2;
  return anyMatch ? 0 : 1;
}
