/**
 * Splits a Dockerfile into instruction nodes, as Docker's parser does:
 * parser directives at the very top (`# syntax=`, `# escape=`), comment lines
 * dropped (also inside a continuation), blank lines skipped, a line ending in
 * the escape character (then optional blanks) continued on the next line —
 * the pieces are joined without the newline, which is why
 * `RUN echo a \` + `  b` runs `echo a   b`.
 *
 * A node keeps its instruction word, its `--flags`, its raw argument text and
 * the lines it spans; turning arguments into values per instruction is
 * arguments.ts's job, checking them is instructions.ts's.
 */
import { DockerfileSyntaxError } from './errors.js';

export interface Directives {
  escape: '\\' | '`';
  syntax?: string;
  check?: string;
}

export interface RawNode {
  /** The instruction word in lower case: "run", "copy". */
  cmd: string;
  /** The word as written: "RUNN" is reported as written. */
  word: string;
  /** Leading `--name=value` flags, as written. */
  flags: string[];
  /** Everything after the instruction word and its flags, trimmed. */
  rest: string;
  /** The joined instruction line as written (continuations removed). */
  original: string;
  startLine: number;
  endLine: number;
}

export interface ParsedFile {
  directives: Directives;
  nodes: RawNode[];
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

function parseDirectives(lines: string[]): { directives: Directives; firstLine: number } {
  const directives: Directives = { escape: '\\' };
  const seen = new Set<string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    const name = m[1]!.toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name)) break;
    if (seen.has(name)) throw new DockerfileSyntaxError(`only one ${name} parser directive can be used`);
    seen.add(name);
    const value = m[2]!;
    if (name === 'escape') {
      if (value !== '\\' && value !== '`') throw new DockerfileSyntaxError(`invalid ESCAPE '${value}'. Must be \` or \\`);
      directives.escape = value;
    } else if (name === 'syntax') {
      directives.syntax = value;
    } else {
      directives.check = value;
    }
  }
  return { directives, firstLine: i };
}

function isComment(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

function isBlank(line: string): boolean {
  return /^[ \t\r]*$/.test(line);
}

/** Removes a trailing escape (plus blanks after it); null when the line does not continue. */
function stripContinuation(line: string, escape: string): string | null {
  const trimmed = line.replace(/[ \t\r]+$/, '');
  if (!trimmed.endsWith(escape)) return null;
  return trimmed.slice(0, -1);
}

/** Splits leading `--flag` words from an instruction's arguments. */
export function splitFlags(text: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = text;
  for (;;) {
    const m = /^(--\S*)(?:[ \t]+|$)/.exec(rest);
    if (!m) break;
    if (m[1] === '--') {
      rest = rest.slice(m[0].length);
      break;
    }
    flags.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  return { flags, rest: rest.trim() };
}

export function parseDockerfile(text: string): ParsedFile {
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  const { directives, firstLine } = parseDirectives(lines);
  const nodes: RawNode[] = [];

  let i = firstLine;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line) || isComment(line)) {
      i++;
      continue;
    }
    const startLine = i + 1;
    let endLine = startLine;
    let joined = '';
    let j = i;
    let current = line;
    for (;;) {
      const cont = stripContinuation(current, directives.escape);
      if (cont === null) {
        joined += current;
        break;
      }
      joined += cont;
      // The continuation resumes on the next line that is neither a comment nor blank.
      j++;
      while (j < lines.length && (isComment(lines[j]!) || isBlank(lines[j]!))) j++;
      if (j >= lines.length) break;
      current = lines[j]!;
      endLine = j + 1;
    }
    i = j + 1;
    const trimmed = joined.replace(/^[ \t]+/, '');
    const m = /^(\S+)(?:[ \t]+([\s\S]*))?$/.exec(trimmed);
    if (!m) continue;
    const word = m[1]!;
    const { flags, rest } = splitFlags((m[2] ?? '').trim());
    nodes.push({ cmd: word.toLowerCase(), word, flags, rest, original: trimmed.replace(/[ \t]+$/, ''), startLine, endLine });
  }
  if (nodes.length === 0) throw new DockerfileSyntaxError('file with no instructions');
  return { directives, nodes };
}
