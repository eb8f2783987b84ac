#!/usr/bin/env node
// Normalize a conformance scenario's output so that runs of different CLIs
// (or two runs of the same one) compare byte for byte.
//
//   node normalize.mjs [--root DIR]... [--cli NAME]... < raw > normalized
//
// Replaced, in this order (everything else is kept verbatim: sizes, names,
// error texts, exit codes, column order):
//   1. the "DEPRECATED: The legacy builder is deprecated" notice that the
//      Docker 28 client prints before every classic build: dropped (it is
//      client chatter, not engine behaviour);
//   2. data roots (each --root, $CONF_ROOTS colon list, $MYDOCK_ROOT,
//      /var/lib/docker) -> <root>;
//      the scenario temp dir (any path ending in /cfctx.XXXXXX) -> <ctx>;
//   3. timestamps: RFC 3339 (with or without fraction/offset) and Go's
//      "2006-01-02 15:04:05 -0700 MST" -> <time>; the zero time
//      0001-01-01T00:00:00Z is kept (it means "never");
//      "N seconds ago", "About a minute ago", "Less than a second ago"...
//      -> <ago>; "Up N minutes" -> Up <dur>;
//   4. hex IDs, numbered by first appearance: 64 hex -> <idN>, 12 hex ->
//      <idN:12>, a hex prefix cut by Docker's "…" -> <idN:LEN>…; a short form
//      that is a prefix of a longer one seen before (or after) shares its N,
//      so "the ID run -d printed is the one ps shows" stays checked;
//   5. the program name in error framing: a leading "docker: " / "mydock: ",
//      "Run 'docker run --help'", "See 'docker ...'", "Usage:  docker ..."
//      -> <cli>;
//   6. whitespace: a run of 2+ spaces or any run holding a tab -> one tab
//      (table alignment), trailing whitespace removed.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

function parseArgs(argv) {
  const roots = [];
  const clis = new Set(['docker', 'mydock']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root' && i + 1 < argv.length) roots.push(argv[++i]);
    else if (a === '--cli' && i + 1 < argv.length) clis.add(basename(argv[++i]).replace(/\.[cm]?js$/, ''));
    else {
      process.stderr.write(`normalize.mjs: unknown argument: ${a}\n`);
      process.exit(2);
    }
  }
  for (const r of (process.env.CONF_ROOTS ?? '').split(':')) if (r) roots.push(r);
  if (process.env.MYDOCK_ROOT) roots.push(process.env.MYDOCK_ROOT);
  roots.push('/var/lib/docker');
  const clean = [...new Set(roots.map((r) => r.replace(/\/+$/, '')).filter((r) => r.length > 1))];
  // Longest first, so a root nested in another is replaced whole.
  clean.sort((a, b) => b.length - a.length);
  return { roots: clean, clis: [...clis] };
}

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function dropBuilderNotice(text) {
  // The notice is one line, indented continuation lines, then a blank line.
  return text.replace(
    /^DEPRECATED: The legacy builder is deprecated[^\n]*\n(?:[ \t]+\S[^\n]*\n)*(?:[ \t]*\n)?/gm,
    '',
  );
}

function replacePaths(text, roots) {
  for (const r of roots) {
    // Only whole path components: /tmp/x must not eat /tmp/xy.
    text = text.replace(new RegExp(reEscape(r) + '(?=$|[^\\w.-])', 'gm'), '<root>');
  }
  return text.replace(/(?:\/[\w.+-]+)*\/cfctx\.[A-Za-z0-9]{6,}/g, '<ctx>');
}

const DURATION =
  '(?:Less than a second|About a minute|About an hour|\\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?))';

function replaceTimes(text) {
  text = text.replace(
    /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g,
    (m) => (m === '0001-01-01T00:00:00Z' ? m : '<time>'),
  );
  text = text.replace(/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4}(?: [A-Z][A-Za-z]{1,5})?/g, '<time>');
  text = text.replace(new RegExp(`${DURATION} ago\\b`, 'g'), '<ago>');
  text = text.replace(new RegExp(`\\bUp ${DURATION}`, 'g'), 'Up <dur>');
  return text;
}

function idNumberer() {
  const known = []; // [token, n]
  let next = 1;
  return (tok) => {
    for (const [t, n] of known) if (t === tok) return n;
    for (const [t, n] of known) {
      if (t.length >= 10 && tok.length >= 10 && (t.startsWith(tok) || tok.startsWith(t))) {
        known.push([tok, n]);
        return n;
      }
    }
    known.push([tok, next]);
    return next++;
  };
}

function replaceIds(text) {
  const num = idNumberer();
  // Alternatives: a hex run cut by "…" (10..63 chars), a full 64-hex ID, a
  // 12-hex short ID. Word boundaries are explicit so that hex inside longer
  // words is left alone.
  const re = /(?<![0-9A-Za-z_])(?:([0-9a-f]{10,63})(?=…)|([0-9a-f]{64})(?![0-9A-Za-z_])|([0-9a-f]{12})(?![0-9A-Za-z_]))/g;
  return text.replace(re, (m, cut, full, short) => {
    if (cut !== undefined) {
      // A truncated ID has digits and letters; "decade…" or "1000000…" are words/numbers.
      if (!/[a-f]/.test(cut) || !/[0-9]/.test(cut)) return m;
      return `<id${num(cut)}:${cut.length}>`;
    }
    if (full !== undefined) return `<id${num(full)}>`;
    return `<id${num(short)}:12>`;
  });
}

function replaceCliName(text, clis) {
  const names = clis.map(reEscape).join('|');
  text = text.replace(new RegExp(`^(?:${names}): `, 'gm'), '<cli>: ');
  text = text.replace(new RegExp(`((?:Run|See) ')(?:${names})(?= |')`, 'g'), '$1<cli>');
  text = text.replace(new RegExp(`^(Usage:[ \\t]+)(?:${names})(?= |$)`, 'gm'), '$1<cli>');
  // The program names itself inside some messages too: "'docker run' requires
  // at least 1 argument", "unknown command: docker bogus".
  text = text.replace(new RegExp(`'(?:${names}) `, 'g'), "'<cli> ");
  text = text.replace(new RegExp(`(unknown command: )(?:${names})(?= )`, 'g'), '$1<cli>');
  return text;
}

function squeezeWhitespace(text) {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]*\t[ \t]*| {2,}/g, '\t').replace(/[ \t]+$/, ''))
    .join('\n');
}

export function normalize(text, opts) {
  text = text.replace(/\r\n/g, '\n');
  text = dropBuilderNotice(text);
  text = replacePaths(text, opts.roots);
  text = replaceTimes(text);
  text = replaceIds(text);
  text = replaceCliName(text, opts.clis);
  return squeezeWhitespace(text);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('normalize.mjs')) {
  const opts = parseArgs(process.argv.slice(2));
  process.stdout.write(normalize(readFileSync(0, 'utf8'), opts));
}
