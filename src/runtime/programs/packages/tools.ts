/**
 * Small stand-ins for programs packages install, with what tutorials show of
 * them: `make` (explicit rules, tab recipes run by /bin/sh), `curl` offline
 * (no network: "Could not resolve host"), `python3 -c 'print(...)'` for
 * literals and integer arithmetic, `git --version` and `git init`.
 */
import type { ProcessContext } from '../../process.js';

async function say(ctx: ProcessContext, text: string, status: number, toErr = true): Promise<number> {
  await (toErr ? ctx.stderr : ctx.stdout).write(text);
  return status;
}

interface Rule {
  deps: string[];
  recipe: string[];
}

function parseMakefile(text: string): { rules: Map<string, Rule>; first: string | null } {
  const rules = new Map<string, Rule>();
  let first: string | null = null;
  let current: Rule | null = null;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    if (line.startsWith('\t')) {
      current?.recipe.push(line.slice(1));
      continue;
    }
    const m = /^([^:#=\s][^:#=]*):(?!=)(.*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '' && !line.trim().startsWith('#')) current = null;
      continue;
    }
    const rule: Rule = { deps: m[2]!.split('#')[0]!.trim().split(/\s+/).filter(Boolean), recipe: [] };
    for (const target of m[1]!.trim().split(/\s+/)) {
      if (target === '.PHONY') continue;
      rules.set(target, rule);
      if (first === null && !target.startsWith('.')) first = target;
    }
    current = rule;
  }
  return { rules, first };
}

/** The make a distribution ships: Alpine's 4.3 on musl, Ubuntu's and Debian's by release. */
function makeVersion(ctx: ProcessContext): string {
  let release = '';
  try {
    release = ctx.fs.readFile('/etc/os-release').toString('utf8');
  } catch {
    // no os-release: take the newest
  }
  const id = /^ID="?([^"\n]*)/m.exec(release)?.[1] ?? '';
  const versionId = /^VERSION_ID="?([^"\n]*)/m.exec(release)?.[1] ?? '';
  const [version, years, target] =
    id === 'alpine'
      ? ['4.3', '2020', 'x86_64-alpine-linux-musl']
      : id === 'ubuntu' && ['15.04', '16.04', '18.04'].includes(versionId)
        ? [versionId === '15.04' ? '4.0' : '4.1', versionId === '15.04' ? '2013' : '2014', 'x86_64-pc-linux-gnu']
        : id === 'ubuntu' && versionId === '20.04'
          ? ['4.2.1', '2016', 'x86_64-pc-linux-gnu']
          : ['4.3', '2020', 'x86_64-pc-linux-gnu'];
  return (
    `GNU Make ${version}\nBuilt for ${target}\nCopyright (C) 1988-${years} Free Software Foundation, Inc.\n` +
    'License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>\n' +
    'This is free software: you are free to change and redistribute it.\n' +
    'There is NO WARRANTY, to the extent permitted by law.\n'
  );
}

export async function makeMain(ctx: ProcessContext): Promise<number> {
  let fs = ctx.fs;
  const goals: string[] = [];
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-C') fs = fs.withCwd(args[++i] ?? '.');
    else if (a.startsWith('-C')) fs = fs.withCwd(a.slice(2));
    else if (a === '--version' || a === '-v') return say(ctx, makeVersion(ctx), 0, false);
    else if (!a.startsWith('-')) goals.push(a);
  }
  const file = ['GNUmakefile', 'makefile', 'Makefile'].find((f) => fs.tryStat(f)?.type === 'file');
  const { rules, first } = file ? parseMakefile(fs.readFile(file).toString('utf8')) : { rules: new Map<string, Rule>(), first: null };
  if (goals.length === 0) {
    if (first === null) return say(ctx, 'make: *** No targets specified and no makefile found.  Stop.\n', 2);
    goals.push(first);
  }
  const done = new Set<string>();
  // GNU make says "Nothing to be done" for a goal only when no recipe ran for it.
  let ran = 0;
  const build = async (target: string, top: boolean): Promise<number> => {
    if (done.has(target)) return 0;
    done.add(target);
    const rule = rules.get(target);
    if (!rule) {
      if (fs.exists(target)) {
        if (top) await ctx.stdout.write(`make: Nothing to be done for '${target}'.\n`);
        return 0;
      }
      return say(ctx, `make: *** No rule to make target '${target}'.  Stop.\n`, 2);
    }
    for (const dep of rule.deps) {
      const s = await build(dep, false);
      if (s !== 0) return s;
    }
    for (const line of rule.recipe) {
      const silent = line.startsWith('@');
      const cmd = line.replace(/^[@-]+/, '');
      ran++;
      if (!silent) await ctx.stdout.write(`${cmd}\n`);
      const status = await ctx.spawn(['/bin/sh', '-c', cmd], { cwd: fs.cwd });
      if (status !== 0 && !line.replace(/^@/, '').startsWith('-')) return say(ctx, `make: *** [${file ?? 'Makefile'}:${target}] Error ${status}\n`, 2);
    }
    if (top && ranBefore === ran) await ctx.stdout.write(`make: Nothing to be done for '${target}'.\n`);
    return 0;
  };
  let ranBefore = 0;
  for (const g of goals) {
    ranBefore = ran;
    const s = await build(g, true);
    if (s !== 0) return s;
  }
  return 0;
}

export async function curlMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args.includes('--version') || args.includes('-V')) return say(ctx, 'curl 7.88.1 (x86_64-alpine-linux-musl) libcurl/7.88.1 OpenSSL/3.0.8 zlib/1.2.13 brotli/1.0.9 nghttp2/1.51.0\nProtocols: dict file ftp ftps gopher gophers http https imap imaps mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp ws wss\n', 0, false);
  const url = args.find((a, i) => !a.startsWith('-') && !['-o', '-H', '-d', '-X', '-u', '-A', '-e', '--output', '--header', '--data', '--request'].includes(args[i - 1] ?? ''));
  if (url === undefined) return say(ctx, "curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
  const host = /^(?:[a-z]+:\/\/)?(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url)?.[1] ?? url;
  if (host === 'localhost' || host === '127.0.0.1') return say(ctx, `curl: (7) Failed to connect to ${host} port 80 after 0 ms: Couldn't connect to server\n`, 7);
  // No network in an emulated container.
  return say(ctx, `curl: (6) Could not resolve host: ${host}\n`, 6);
}

/** Python expressions this stand-in can evaluate: literals, + - * / // % on integers. */
function evaluate(expr: string): string | null {
  const s = expr.trim();
  const str = /^(['"])(.*)\1$/s.exec(s);
  if (str) return str[2]!.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  if (/^[\d\s+\-*/%().]+$/.test(s) && !/[^\d]\.|\.[^\d]/.test(s)) {
    const js = s.replace(/\/\//g, '#');
    if (/\*\*/.test(js)) return null;
    const parts = js.split('#');
    try {
      const value = parts.length === 2 ? Math.floor(Number(Function(`"use strict";return (${parts[0]})`)()) / Number(Function(`"use strict";return (${parts[1]})`)())) : Number(Function(`"use strict";return (${js})`)());
      if (!Number.isFinite(value)) return null;
      return /\//.test(s.replace(/\/\//g, '')) && Number.isInteger(value) ? value.toFixed(1) : String(value);
    } catch {
      return null;
    }
  }
  if (s === 'True' || s === 'False' || s === 'None') return s;
  return null;
}

export async function python3Main(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = ctx.fs.exists('/usr/lib/python3.6') ? '3.6.9' : '3.10.10';
  if (args[0] === '--version' || args[0] === '-V') return say(ctx, `Python ${version}\n`, 0, false);
  if (args[0] === '-c') {
    const code = args[1] ?? '';
    let out = '';
    for (const stmt of code.split(/;|\n/).map((x) => x.trim()).filter(Boolean)) {
      const m = /^print\((.*)\)$/s.exec(stmt);
      const values = m ? (m[1]!.trim() === '' ? [] : splitArgs(m[1]!).map(evaluate)) : null;
      if (!values || values.some((v) => v === null)) {
        return say(ctx, `python3: this emulated Python runs only print() of literals and integer arithmetic; cannot run: ${stmt}\n`, 1);
      }
      out += `${values.join(' ')}\n`;
    }
    return say(ctx, out, 0, false);
  }
  return say(ctx, `python3: this emulated Python runs only \`python3 -c 'print(...)'\` and --version\n`, 1);
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const c of s) {
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur += c;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export async function gitMain(ctx: ProcessContext): Promise<number> {
  const [command, ...rest] = ctx.argv.slice(1);
  if (command === '--version' || command === 'version') return say(ctx, `git version ${ctx.fs.exists('/usr/lib/git-core') ? '2.17.1' : '2.38.4'}\n`, 0, false);
  if (command === 'init') {
    const dir = rest.find((a) => !a.startsWith('-')) ?? '.';
    const fs = ctx.fs;
    if (!fs.exists(dir)) fs.mkdir(dir, { recursive: true });
    const git = `${fs.realpath(dir)}/.git`.replace(/^\/\//, '/');
    const existed = fs.exists(git);
    for (const d of ['branches', 'hooks', 'info', 'objects/info', 'objects/pack', 'refs/heads', 'refs/tags']) fs.mkdir(`${git}/${d}`, { recursive: true });
    fs.writeFile(`${git}/HEAD`, 'ref: refs/heads/master\n');
    fs.writeFile(`${git}/config`, '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n');
    fs.writeFile(`${git}/description`, "Unnamed repository; edit this file 'description' to name the repository.\n");
    return say(ctx, `${existed ? 'Reinitialized existing' : 'Initialized empty'} Git repository in ${git}/\n`, 0, false);
  }
  if (command === 'clone') {
    const url = rest.find((a) => !a.startsWith('-')) ?? '';
    const host = /^(?:[a-z]+:\/\/)?(?:[^@/]*@)?([^:/]+)/i.exec(url)?.[1] ?? url;
    const name = url.replace(/\/$/, '').replace(/\.git$/, '').split(/[/:]/).pop() ?? url;
    await ctx.stderr.write(`Cloning into '${name}'...\n`);
    return say(ctx, `fatal: unable to access '${url}/': Could not resolve host: ${host}\n`, 128);
  }
  if (command === undefined) return say(ctx, 'usage: git [--version] [--help] [-C <path>] [-c <name>=<value>]\n           <command> [<args>]\n', 1, false);
  return say(ctx, `git: '${command}' is not a git command emulated here (only --version, init, and clone without a network).\n`, 1);
}
