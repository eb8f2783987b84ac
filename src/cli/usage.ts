/**
 * Help pages and usage-error texts laid out as docker/cli (cobra + pflag)
 * lays them out, with "mydock" where Docker says "docker".
 */
import type { ArgRule, CommandDef } from './command.js';
import type { FlagSpec } from './flags.js';
import { PROGRAM } from './program-name.js';
import { MANAGEMENT, subcommandsOf, type CommandEntry } from './registry.js';

function valueName(f: FlagSpec): string {
  if (f.valueName !== undefined) return f.valueName;
  switch (f.kind) {
    case 'bool':
      return '';
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'list':
      return 'list';
    case 'map':
      return 'map';
  }
}

/** pflag's FlagUsages: name column padded to the longest, description after two more spaces. */
export function renderFlags(flags: readonly FlagSpec[]): string {
  const rows = flags
    .filter((f) => !f.hidden)
    .slice()
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => {
      let left = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
      const v = valueName(f);
      if (v) left += ` ${v}`;
      let desc = f.description;
      if (f.defaultValue !== undefined && f.defaultValue !== '' && f.defaultValue !== 0) {
        desc += typeof f.defaultValue === 'string' ? ` (default "${f.defaultValue}")` : ` (default ${f.defaultValue})`;
      }
      return { left, desc };
    });
  const width = Math.max(0, ...rows.map((r) => r.left.length)) + 1;
  return rows
    .map((r) => {
      const pad = ' '.repeat(width - r.left.length);
      const [first, ...more] = r.desc.split('\n');
      const indent = ' '.repeat(width + 2);
      return [`${r.left} ${pad} ${first}`, ...more.map((m) => indent + m)].join('\n');
    })
    .join('\n');
}

export function usageLine(words: readonly string[], def: CommandDef): string {
  return `Usage:  ${PROGRAM} ${words.join(' ')} ${def.usage}`.trimEnd();
}

export function commandHelp(entry: CommandEntry, words: readonly string[], def: CommandDef): string {
  const parts = [usageLine(words, def), '', def.short];
  if (entry.paths.length > 1) {
    parts.push('', 'Aliases:', '  ' + entry.paths.map((p) => `${PROGRAM} ${p.join(' ')}`).join(', '));
  }
  if (def.flags.some((f) => !f.hidden)) parts.push('', 'Options:', renderFlags(def.flags));
  return parts.join('\n') + '\n';
}

export function groupHelp(group: string): string {
  const subs = subcommandsOf(group);
  const width = Math.max(...subs.map((s) => s.name.length)) + 2;
  const lines = subs.map((s) => `  ${s.name.padEnd(width)}${s.short}`);
  return [
    `Usage:  ${PROGRAM} ${group} COMMAND`,
    '',
    MANAGEMENT[group] ?? '',
    '',
    'Commands:',
    ...lines,
    '',
    `Run '${PROGRAM} ${group} COMMAND --help' for more information on a command.`,
    '',
  ].join('\n');
}

/** A flag error: the pflag message, the usage line, a hint; status 125. */
export function flagErrorText(message: string, words: readonly string[], def: CommandDef): string {
  return `${message}\n\n${usageLine(words, def)}\n\nRun '${PROGRAM} ${words.join(' ')} --help' for more information\n`;
}

/**
 * A wrong number of arguments, exactly as docker/cli's cli/required.go
 * prints it (status 1). Its "at least" form ends with "See '…'", the others
 * with "Run '…'", and the "at most" form prints "SRun" (a stray byte in
 * Docker's own format string): reproduced because users compare outputs.
 */
export function checkArgs(rule: ArgRule, count: number, words: readonly string[], def: CommandDef): string | null {
  const cmd = `'${PROGRAM} ${words.join(' ')}'`;
  const head = (what: string, hint: 'See' | 'Run' | 'SRun') =>
    `${PROGRAM}: ${cmd} ${what}\n\n${usageLine(words, def)}\n\n${hint} '${PROGRAM} ${words.join(' ')} --help' for more information\n`;
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  switch (rule.kind) {
    case 'any':
      return null;
    case 'none':
      return count === 0 ? null : head('accepts no arguments', 'Run');
    case 'min':
      return count >= rule.n ? null : head(`requires at least ${rule.n} ${plural(rule.n)}`, 'See');
    case 'max':
      return count <= rule.n ? null : head(`requires at most ${rule.n} ${plural(rule.n)}`, 'SRun');
    case 'exact':
      return count === rule.n ? null : head(`requires ${rule.n} ${plural(rule.n)}`, 'Run');
    case 'range':
      return count >= rule.min && count <= rule.max
        ? null
        : head(`requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}`, 'Run');
  }
}
