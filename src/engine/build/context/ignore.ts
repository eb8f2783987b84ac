/**
 * `.dockerignore` as the Docker CLI reads and applies it (moby's
 * patternmatcher and its ignorefile reader):
 *
 * - reading: a UTF-8 BOM on the first line is dropped; lines starting with
 *   `#` are comments; each line is trimmed; a leading `!` makes an exception;
 *   the pattern is cleaned like Go's filepath.Clean (so `./a`, `a/`, `a//b`
 *   become `a`, `a`, `a/b`) and a leading `/` is removed;
 * - matching: the *last* pattern that matches a path decides; a pattern also
 *   matches a path when it matches one of the path's parent directories;
 *   `*` and `?` never cross `/`, `**` crosses any number of directories,
 *   `[...]` classes and `\` escapes as in filepath.Match.
 *
 * A malformed pattern is a typed error (`IgnorePatternError`), as
 * filepath.ErrBadPattern is for Docker.
 */
import { ClientError } from '../../errors.js';

export class IgnorePatternError extends ClientError {
  constructor(readonly pattern: string) {
    super(`error checking context: syntax error in pattern`, 'BAD_IGNORE_PATTERN', { pattern });
  }
}

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** ignorefile.ReadAll: the patterns of a .dockerignore file, normalised. */
export function readIgnoreFile(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.startsWith('#')) return;
    let pattern = line.trim();
    if (pattern === '') return;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? '!' + pattern : pattern);
  });
  return patterns;
}

const REGEX_SPECIAL = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** filepath.Match's syntax check: unterminated classes, bad ranges, a trailing backslash. */
function validGlob(p: string): boolean {
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      if (i + 1 >= p.length) return false;
      i += 2;
      continue;
    }
    if (c !== '[') {
      i++;
      continue;
    }
    i++;
    if (p[i] === '^') i++;
    let items = 0;
    for (;;) {
      if (i >= p.length) return false;
      if (p[i] === ']' && items > 0) {
        i++;
        break;
      }
      const lo = readClassChar();
      if (lo === null) return false;
      if (p[i] === '-') {
        i++;
        const hi = readClassChar();
        if (hi === null || hi < lo) return false;
      }
      items++;
    }
  }
  return true;

  function readClassChar(): string | null {
    if (i >= p.length) return null;
    let ch = p[i]!;
    if (ch === '-' || ch === ']') return null;
    if (ch === '\\') {
      i++;
      if (i >= p.length) return null;
      ch = p[i]!;
    }
    i++;
    return ch;
  }
}

interface Compiled {
  exclusion: boolean;
  text: string;
  regex: RegExp;
}

function compile(pattern: string): RegExp {
  let re = '^';
  const chars = [...pattern];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i++]!;
    if (ch === '*') {
      if (chars[i] === '*') {
        i++;
        if (chars[i] === '/') i++;
        if (i >= chars.length) {
          re += '.*';
        } else re += '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (REGEX_SPECIAL.has(ch)) re += '\\' + ch;
    else if (ch === '\\') {
      if (i < chars.length) re += literal(chars[i++]!);
      else re += '\\\\';
    } else if (ch === '[' || ch === ']') re += ch;
    else if (ch === '^') re += '\\^';
    else re += ch;
  }
  return new RegExp(re + '$');
}

/** An escaped pattern character, matched literally (`\\d` is a digit class in a regexp, never in a glob). */
function literal(ch: string): string {
  return /[A-Za-z0-9]/.test(ch) ? ch : '\\' + ch;
}

/**
 * The decision for every path of a context. `matches(path)` answers "is it
 * excluded?" for a slash-separated path relative to the context root.
 */
export class IgnoreMatcher {
  private readonly patterns: Compiled[] = [];

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new IgnorePatternError(raw);
        exclusion = true;
        p = p.slice(1);
      }
      if (!validGlob(p)) throw new IgnorePatternError(raw);
      let regex: RegExp;
      try {
        regex = compile(p);
      } catch {
        throw new IgnorePatternError(raw);
      }
      this.patterns.push({ exclusion, text: p, regex });
    }
  }

  get hasExclusions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** MatchesOrParentMatches: true when the path is excluded from the context. */
  matches(file: string): boolean {
    const parent = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    const parentDirs = parent === '.' ? [] : parent.split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.regex.test(file);
      if (!match) {
        for (let i = 0; i < parentDirs.length && !match; i++) match = pattern.regex.test(parentDirs.slice(0, i + 1).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * Whether an excluded directory must still be walked because an exception
   * pattern may re-include something below it (TarWithOptions' rule).
   */
  mayReinclude(dir: string): boolean {
    const prefix = dir + '/';
    return this.patterns.some((p) => p.exclusion && (p.text + '/').startsWith(prefix));
  }
}
