/**
 * How Docker's parser turns an instruction's text into arguments, per kind:
 * - JSON-or-string (RUN, CMD, ENTRYPOINT, SHELL): a JSON array of strings is
 *   the exec form; anything else (even broken JSON) is one shell-form string.
 * - JSON-or-words (COPY, ADD, VOLUME): a JSON array, or words split on blanks.
 * - name=value pairs (ENV, LABEL), with the legacy `ENV key value` form.
 * Words keep their quotes and escapes here: substitution.ts removes them when
 * the builder expands the instruction.
 */
import { DockerfileSyntaxError } from './errors.js';

export function parseJsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // Not JSON: the shell form.
  }
  return null;
}

/** Splits on blanks outside quotes; quotes and escapes stay in the words. */
export function splitWords(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === null && (c === ' ' || c === '\t')) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === escape && i + 1 < text.length) {
      word += c + text[i + 1];
      i++;
      continue;
    }
    if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (quote === c) quote = null;
    word += c;
  }
  if (inWord) words.push(word);
  return words;
}

export interface Pair {
  key: string;
  /** Unexpanded (quotes and escapes still in). */
  value: string;
}

/** ENV / LABEL arguments: `k=v k2="v 2"` or the legacy `k v w` (one pair, value = the rest). */
export function parseNameValues(rest: string, instruction: 'ENV' | 'LABEL', escape: string): Pair[] {
  const words = splitWords(rest, escape);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    // Legacy form: the key, then everything after the first blank run.
    const m = /^(\S+)[ \t]+([\s\S]*)$/.exec(rest.trim());
    if (!m || m[2]!.trim() === '') throw new DockerfileSyntaxError(`${instruction} must have two arguments`);
    return [{ key: m[1]!, value: m[2]!.trim() }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq === -1) throw new DockerfileSyntaxError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return { key: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}
