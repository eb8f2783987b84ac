/**
 * Signals and jobs: trap, kill, wait, jobs.
 */
import { SIGNAL_NUMBERS, type SignalName } from '../../process.js';
import { ShellError } from '../errors.js';
import type { Interpreter } from '../interpreter.js';
import { singleQuote } from '../quote.js';
import type { BuiltinIO, BuiltinTable } from './index.js';

const BY_NUMBER = new Map<number, SignalName>(Object.entries(SIGNAL_NUMBERS).map(([n, v]) => [v, n as SignalName]));

/** "TERM", "SIGTERM", "15" -> "TERM"; "EXIT"/"0" -> "EXIT"; null if unknown. */
export function parseSignal(spec: string): SignalName | 'EXIT' | null {
  const up = spec.toUpperCase().replace(/^SIG/, '');
  if (up === 'EXIT' || spec === '0') return 'EXIT';
  if (/^[0-9]+$/.test(spec)) return BY_NUMBER.get(Number(spec)) ?? null;
  return up in SIGNAL_NUMBERS ? (up as SignalName) : null;
}

async function trap(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  const s = sh.state;
  let args = argv.slice(1);
  if (args[0] === '--') args = args.slice(1);
  if (args.length === 0 || args[0] === '-p') {
    let out = '';
    for (const [cond, action] of s.traps) out += `trap -- ${singleQuote(action)} ${cond}\n`;
    await io.stdout.write(out);
    return 0;
  }
  if (args[0] === '-l') return killList(io);
  // A first argument that is a signal number means "reset these signals".
  let action: string | null = args[0] ?? null;
  let conds = args.slice(1);
  if (args.length === 1 || (action !== null && /^[0-9]+$/.test(action))) {
    conds = args.length === 1 ? args : args;
    action = null;
  }
  if (action === '-') action = null;
  let status = 0;
  for (const c of conds) {
    const sig = parseSignal(c);
    if (!sig) {
      await io.stderr.write(`${s.arg0}: trap: ${c}: bad trap\n`);
      status = 1;
      continue;
    }
    if (action === null) s.traps.delete(sig);
    else s.traps.set(sig, action);
    if (sig === 'EXIT') continue;
    const signals = sh.env.signals;
    if (action === null) signals.trap(sig, null);
    else if (action === '') signals.trap(sig, 'ignore');
    else signals.trap(sig, (received) => sh.queueSignal(received));
  }
  return status;
}

async function killList(io: BuiltinIO): Promise<number> {
  let out = '';
  for (const [n, name] of [...BY_NUMBER].sort(([a], [b]) => a - b)) out += `${String(n).padStart(2)}) ${name}\n`;
  await io.stdout.write(out);
  return 0;
}

async function kill(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  let args = argv.slice(1);
  let signal: SignalName = 'TERM';
  if (args[0] === '-l' || args[0] === '-L') {
    if (args[1] !== undefined) {
      const sig = parseSignal(args[1]);
      await io.stdout.write((sig === null ? args[1] : /^[0-9]+$/.test(args[1]) ? sig : String(SIGNAL_NUMBERS[sig as SignalName] ?? 0)) + '\n');
      return 0;
    }
    return killList(io);
  }
  if (args[0] === '-s' || args[0] === '-n') {
    const sig = parseSignal(args[1] ?? '');
    if (!sig || sig === 'EXIT') throw new ShellError(`bad signal name '${args[1] ?? ''}'`, 1);
    signal = sig;
    args = args.slice(2);
  } else if (args[0]?.startsWith('-') && args[0] !== '--' && args[0].length > 1) {
    const sig = parseSignal(args[0].slice(1));
    if (!sig || sig === 'EXIT') throw new ShellError(`bad signal name '${args[0].slice(1)}'`, 1);
    signal = sig;
    args = args.slice(1);
  }
  if (args[0] === '--') args = args.slice(1);
  let status = 0;
  for (const a of args) {
    let pid: number;
    if (a.startsWith('%')) {
      const job = sh.state.jobs[Number(a.slice(1) || '1') - 1];
      if (!job) {
        await io.stderr.write(`sh: kill: ${a}: no such job\n`);
        status = 1;
        continue;
      }
      pid = job.pid;
    } else if (/^-?[0-9]+$/.test(a)) pid = Number(a);
    else {
      await io.stderr.write(`sh: invalid number '${a}'\n`);
      status = 1;
      continue;
    }
    if (pid === sh.state.pid) {
      sh.env.signals.send(signal);
      continue;
    }
    const job = sh.jobSignals.get(pid);
    if (job && job.terminatedBy === null) {
      job.send(signal);
      continue;
    }
    if (!sh.env.host.kill(pid, signal)) {
      await io.stderr.write(`sh: can't kill pid ${a}: No such process\n`);
      status = 1;
    }
  }
  return status;
}

async function wait(sh: Interpreter, argv: string[]): Promise<number> {
  const s = sh.state;
  const pids = argv.slice(1);
  // A trapped signal interrupts wait: it returns 128+signal and the trap runs.
  let onSignal: ((sig: SignalName) => void) | null = null;
  const interrupted = new Promise<number>((resolve) => {
    onSignal = (sig) => resolve(128 + SIGNAL_NUMBERS[sig]);
    sh.signalWaiters.push(onSignal);
  });
  const forget = (): void => {
    const i = sh.signalWaiters.indexOf(onSignal as unknown as (sig: SignalName) => void);
    if (i !== -1) sh.signalWaiters.splice(i, 1);
  };
  try {
    if (pids.length === 0) {
      const all = Promise.all(s.jobs.map((j) => j.done)).then(() => 0);
      const r = await Promise.race([all, interrupted]);
      if (r === 0) s.jobs = [];
      return r;
    }
    let status = 0;
    for (const p of pids) {
      const job = p.startsWith('%') ? s.jobs[Number(p.slice(1) || '1') - 1] : s.jobs.find((j) => String(j.pid) === p);
      if (!job) {
        status = 127;
        continue;
      }
      status = await Promise.race([job.done, interrupted]);
    }
    return status;
  } finally {
    forget();
  }
}

async function jobs(sh: Interpreter, _argv: string[], io: BuiltinIO): Promise<number> {
  let out = '';
  sh.state.jobs.forEach((j, i) => {
    out += `[${i + 1}]   ${j.status === null ? 'Running' : `Done(${j.status})`}\n`;
  });
  await io.stdout.write(out);
  return 0;
}

export const JOB_BUILTINS: BuiltinTable = { trap, kill, wait, jobs };
