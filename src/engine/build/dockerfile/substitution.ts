/**
 * Docker's variable substitution in Dockerfile instructions (the builder's
 * "shell lexer"): `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`,
 * `${VAR:+word}`, `${VAR+word}`, single quotes literal, double quotes with
 * `$` expansion, the escape character making the next character literal.
 * Quotes are removed. It applies to ADD, COPY, ENV, EXPOSE, FROM, LABEL,
 * STOPSIGNAL, USER, VOLUME, WORKDIR (and ARG defaults); RUN, CMD and
 * ENTRYPOINT are left to the shell inside the container.
 *
 * Expanded values are never split into more words, unlike a real shell.
 */
import { DockerfileSyntaxError } from './errors.js';

export type Env = ReadonlyMap<string, string>;

interface Lexer {
  text: string;
  pos: number;
  escape: string;
  env: Env;
}

function peek(l: Lexer): string {
  return l.text[l.pos] ?? '';
}

function readName(l: Lexer): string {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(l.text.slice(l.pos));
  if (!m) return '';
  l.pos += m[0].length;
  return m[0];
}

/** Reads the word inside `${name:-word}` up to the matching `}`, expanding it. */
function readBraceWord(l: Lexer): string {
  let out = '';
  while (l.pos < l.text.length) {
    const c = peek(l);
    if (c === '}') return out;
    if (c === l.escape && l.pos + 1 < l.text.length) {
      out += l.text[l.pos + 1];
      l.pos += 2;
      continue;
    }
    if (c === '$') {
      out += readDollar(l);
      continue;
    }
    if (c === "'" || c === '"') {
      out += c === "'" ? readSingle(l) : readDouble(l);
      continue;
    }
    out += c;
    l.pos++;
  }
  throw new DockerfileSyntaxError(`missing '}'`);
}

function readDollar(l: Lexer): string {
  l.pos++; // the '$'
  const c = peek(l);
  if (c === '{') {
    l.pos++;
    const name = readName(l);
    if (name === '') throw new DockerfileSyntaxError(`bad substitution`);
    const op = peek(l);
    if (op === '}') {
      l.pos++;
      return l.env.get(name) ?? '';
    }
    let modifier = op;
    l.pos++;
    if (op === ':') {
      modifier = ':' + peek(l);
      l.pos++;
    }
    const word = readBraceWord(l);
    l.pos++; // '}'
    const value = l.env.get(name);
    switch (modifier) {
      case ':-':
        return value === undefined || value === '' ? word : value;
      case '-':
        return value === undefined ? word : value;
      case ':+':
        return value === undefined || value === '' ? '' : word;
      case '+':
        return value === undefined ? '' : word;
      default:
        throw new DockerfileSyntaxError(`unsupported modifier (${modifier}) in substitution`);
    }
  }
  const name = readName(l);
  if (name === '') return '$';
  return l.env.get(name) ?? '';
}

function readSingle(l: Lexer): string {
  l.pos++;
  const end = l.text.indexOf("'", l.pos);
  if (end === -1) throw new DockerfileSyntaxError(`unexpected end of statement while looking for matching single-quote`);
  const out = l.text.slice(l.pos, end);
  l.pos = end + 1;
  return out;
}

function readDouble(l: Lexer): string {
  l.pos++;
  let out = '';
  while (l.pos < l.text.length) {
    const c = peek(l);
    if (c === '"') {
      l.pos++;
      return out;
    }
    if (c === l.escape && l.pos + 1 < l.text.length) {
      const next = l.text[l.pos + 1]!;
      // Inside double quotes only these are escapable; otherwise the escape stays.
      if (next === '"' || next === '$' || next === l.escape) {
        out += next;
        l.pos += 2;
        continue;
      }
    }
    if (c === '$') {
      out += readDollar(l);
      continue;
    }
    out += c;
    l.pos++;
  }
  throw new DockerfileSyntaxError(`unexpected end of statement while looking for matching double-quote`);
}

/** Expands one word (quotes removed, escapes applied, variables substituted). */
export function expandWord(text: string, env: Env, escape = '\\'): string {
  return expandWords(text, env, escape, false).join('');
}

/**
 * Expands and splits at unquoted blanks (for instructions whose arguments
 * are a list, such as EXPOSE). With `split` false, blanks are kept.
 */
export function expandWords(text: string, env: Env, escape = '\\', split = true): string[] {
  const l: Lexer = { text, pos: 0, escape, env };
  const words: string[] = [];
  let word = '';
  let inWord = false;
  while (l.pos < text.length) {
    const c = peek(l);
    if (split && (c === ' ' || c === '\t')) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      l.pos++;
      continue;
    }
    inWord = true;
    if (c === escape) {
      if (l.pos + 1 < text.length) word += text[l.pos + 1];
      l.pos += 2;
    } else if (c === "'") {
      word += readSingle(l);
    } else if (c === '"') {
      word += readDouble(l);
    } else if (c === '$') {
      word += readDollar(l);
    } else {
      word += c;
      l.pos++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
