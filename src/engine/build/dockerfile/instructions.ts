/**
 * Typed Dockerfile instructions, checked as the classic builder checks them
 * (with its texts: "WORKDIR requires exactly one argument", "Unknown flag:
 * bogus", "FROM isn't allowed as an ONBUILD trigger", …). Values stay
 * unexpanded: the builder substitutes variables step by step, because ENV
 * and ARG change them as the build goes.
 */
import { parseJsonArray, parseNameValues, splitWords, type Pair } from './arguments.js';
import { DockerfileInstructionError, NoBuildStageError } from './errors.js';
import { parseDockerfile, type Directives, type RawNode } from './parser.js';

interface Base {
  /** The joined line as written, for "Step N/M : …" and the history. */
  original: string;
  line: number;
}

/** Exec form (JSON array) or shell form (one string). */
export type CommandForm = { json: true; args: string[] } | { json: false; command: string };

export type Instruction =
  | (Base & { kind: 'from'; image: string; stage: string | null; platform: string | null })
  | (Base & { kind: 'run'; command: CommandForm; buildkitOnlyFlag: string | null })
  | (Base & { kind: 'cmd' | 'entrypoint'; command: CommandForm })
  | (Base & { kind: 'env' | 'label'; pairs: Pair[] })
  | (Base & { kind: 'arg'; args: { name: string; defaultValue: string | null }[] })
  | (Base & { kind: 'expose'; ports: string[] })
  | (Base & { kind: 'workdir' | 'user' | 'stopsignal' | 'maintainer'; value: string })
  | (Base & { kind: 'volume'; paths: string[] })
  | (Base & { kind: 'copy' | 'add'; sources: string[]; dest: string; json: boolean; from: string | null; chown: string | null; chmod: string | null })
  | (Base & { kind: 'onbuild'; trigger: string })
  | (Base & { kind: 'healthcheck'; test: string[] | null; options: Record<string, string> })
  | (Base & { kind: 'shell'; shell: string[] });

export interface Stage {
  name: string | null;
  from: Extract<Instruction, { kind: 'from' }>;
  instructions: Instruction[];
}

export interface Dockerfile {
  directives: Directives;
  /** ARGs before the first FROM (they may be used in FROM lines). */
  metaArgs: Extract<Instruction, { kind: 'arg' }>[];
  stages: Stage[];
  /** Every instruction in order, for the "Step N/M" count. */
  all: Instruction[];
}

const ALLOWED_FLAGS: Record<string, string[]> = {
  from: ['platform'],
  copy: ['from', 'chown', 'chmod'],
  add: ['chown', 'chmod'],
  healthcheck: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
  run: ['mount', 'network', 'security'],
};

const ONBUILD_FORBIDDEN = new Set(['onbuild', 'from', 'maintainer']);

function parseFlagValues(node: RawNode): Record<string, string> {
  const allowed = ALLOWED_FLAGS[node.cmd] ?? [];
  const out: Record<string, string> = {};
  for (const f of node.flags) {
    const body = f.slice(2);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    if (!allowed.includes(name)) throw new DockerfileInstructionError(node.startLine, `Unknown flag: ${name}`);
    if (name in out) throw new DockerfileInstructionError(node.startLine, `Duplicate flag specified: ${name}`);
    if (eq === -1) throw new DockerfileInstructionError(node.startLine, `Missing a value on flag: ${name}`);
    out[name] = body.slice(eq + 1);
  }
  return out;
}

function commandForm(rest: string): CommandForm {
  const json = parseJsonArray(rest);
  return json ? { json: true, args: json } : { json: false, command: rest };
}

function exactlyOne(node: RawNode, escape: string): string {
  const words = splitWords(node.rest, escape);
  if (words.length !== 1) throw new DockerfileInstructionError(node.startLine, `${node.cmd.toUpperCase()} requires exactly one argument`);
  return words[0]!;
}

function atLeastOne(node: RawNode, escape: string): string[] {
  const words = splitWords(node.rest, escape);
  if (words.length === 0) throw new DockerfileInstructionError(node.startLine, `${node.cmd.toUpperCase()} requires at least one argument`);
  return words;
}

export function toInstruction(node: RawNode, escape: string): Instruction {
  const base: Base = { original: node.original, line: node.startLine };
  const flags = parseFlagValues(node);
  const fail = (msg: string) => new DockerfileInstructionError(node.startLine, msg);
  switch (node.cmd) {
    case 'from': {
      const words = splitWords(node.rest, escape);
      // Docker gives the same text for three words whose second is not AS.
      if (!(words.length === 1 || (words.length === 3 && words[1]!.toLowerCase() === 'as'))) {
        throw fail('FROM requires either one or three arguments');
      }
      const stage = words.length === 3 ? words[2]!.toLowerCase() : null;
      if (stage !== null && !/^[a-z][a-z0-9-_.]*$/.test(stage)) throw fail(`invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`);
      return { ...base, kind: 'from', image: words[0]!, stage, platform: flags.platform ?? null };
    }
    case 'run': {
      const only = Object.keys(flags)[0] ?? null;
      return { ...base, kind: 'run', command: commandForm(node.rest), buildkitOnlyFlag: only };
    }
    case 'cmd':
    case 'entrypoint':
      return { ...base, kind: node.cmd, command: commandForm(node.rest) };
    case 'shell': {
      const json = parseJsonArray(node.rest);
      if (!json) throw fail('SHELL requires the arguments to be in JSON form');
      if (json.length === 0) throw fail('SHELL requires at least one argument');
      return { ...base, kind: 'shell', shell: json };
    }
    case 'env':
    case 'label': {
      if (node.rest === '') throw fail(`${node.cmd.toUpperCase()} requires at least one argument`);
      return { ...base, kind: node.cmd, pairs: parseNameValues(node.rest, node.cmd === 'env' ? 'ENV' : 'LABEL', escape) };
    }
    case 'arg': {
      const words = atLeastOne(node, escape);
      return {
        ...base,
        kind: 'arg',
        args: words.map((w) => {
          const eq = w.indexOf('=');
          return eq === -1 ? { name: w, defaultValue: null } : { name: w.slice(0, eq), defaultValue: w.slice(eq + 1) };
        }),
      };
    }
    case 'expose':
      return { ...base, kind: 'expose', ports: atLeastOne(node, escape) };
    case 'workdir':
    case 'user':
    case 'stopsignal':
      return { ...base, kind: node.cmd, value: exactlyOne(node, escape) };
    case 'maintainer':
      if (node.rest === '') throw fail('MAINTAINER requires exactly one argument');
      return { ...base, kind: 'maintainer', value: node.rest };
    case 'volume': {
      const json = parseJsonArray(node.rest);
      const paths = json ?? splitWords(node.rest, escape);
      if (paths.length === 0) throw fail('VOLUME requires at least one argument');
      if (paths.some((p) => p.trim() === '')) throw fail('VOLUME specified can not be an empty string');
      return { ...base, kind: 'volume', paths };
    }
    case 'copy':
    case 'add': {
      const json = parseJsonArray(node.rest);
      const words = json ?? splitWords(node.rest, escape);
      const name = node.cmd.toUpperCase();
      if (words.length < 2) {
        throw fail(`${name} requires at least two arguments, but only ${words.length === 0 ? 'zero were' : 'one was'} provided. Destination could not be determined`);
      }
      return {
        ...base,
        kind: node.cmd,
        sources: words.slice(0, -1),
        dest: words[words.length - 1]!,
        json: json !== null,
        from: flags.from ?? null,
        chown: flags.chown ?? null,
        chmod: flags.chmod ?? null,
      };
    }
    case 'onbuild': {
      const trigger = /^\S+/.exec(node.rest)?.[0]?.toLowerCase() ?? '';
      if (trigger === '') throw fail('ONBUILD requires at least one argument');
      if (trigger === 'onbuild') throw fail('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (ONBUILD_FORBIDDEN.has(trigger)) throw fail(`${trigger.toUpperCase()} isn't allowed as an ONBUILD trigger`);
      return { ...base, kind: 'onbuild', trigger: node.rest };
    }
    case 'healthcheck': {
      const words = splitWords(node.rest, escape);
      if (words.length === 0) throw fail('HEALTHCHECK requires at least one argument');
      const type = words[0]!.toUpperCase();
      if (type === 'NONE') {
        if (words.length > 1) throw fail('HEALTHCHECK NONE takes no arguments');
        return { ...base, kind: 'healthcheck', test: ['NONE'], options: flags };
      }
      if (type !== 'CMD') throw fail(`Unknown type "${words[0]}" in HEALTHCHECK (try CMD)`);
      for (const key of ['interval', 'timeout', 'start-period', 'start-interval']) {
        const v = flags[key];
        if (v !== undefined && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) {
          throw fail(/^\d+(\.\d+)?$/.test(v) ? `time: missing unit in duration "${v}"` : `time: invalid duration "${v}"`);
        }
      }
      const cmdText = node.rest.replace(/^\S+\s*/, '');
      const form = commandForm(cmdText);
      return { ...base, kind: 'healthcheck', test: form.json ? ['CMD', ...form.args] : ['CMD-SHELL', form.command], options: flags };
    }
    default:
      throw fail(`unknown instruction: ${node.word.toUpperCase()}`);
  }
}

/** Parses and checks a whole Dockerfile, grouping instructions into stages. */
export function readDockerfile(text: string): Dockerfile {
  const parsed = parseDockerfile(text);
  const escape = parsed.directives.escape;
  const all = parsed.nodes.map((n) => toInstruction(n, escape));
  const metaArgs: Extract<Instruction, { kind: 'arg' }>[] = [];
  const stages: Stage[] = [];
  for (const ins of all) {
    if (ins.kind === 'from') {
      stages.push({ name: ins.stage, from: ins, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.kind !== 'arg') throw new NoBuildStageError();
      metaArgs.push(ins);
    } else {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  if (stages.length === 0) throw new NoBuildStageError();
  return { directives: parsed.directives, metaArgs, stages, all };
}
