/**
 * The shim process (see shim.ts): `node shim-main.js <root> <container-id>`.
 * Runs the container's main program with its output going to the
 * json-file log, forwards the signals `docker stop`/`kill` send to it to the
 * program, and records the exit status when the program ends.
 */
import { openEngine } from '../engine/engine.js';
import { MydockError } from '../engine/errors.js';
import { JsonLogOutput } from '../engine/containers/log-file.js';
import type { SignalName } from './process.js';
import { ProcessSignals } from './signals.js';
import { EmptyInput, IdleInput, NullOutput } from './streams.js';
import type { DetachedExec } from '../engine/containers/service.js';
import type { ShimMessage } from './shim.js';

const FORWARDED: readonly SignalName[] = ['TERM', 'INT', 'HUP', 'USR1', 'USR2', 'QUIT', 'WINCH', 'ALRM'];

function report(message: ShimMessage): void {
  if (process.send && process.connected) process.send(message);
}

async function main(): Promise<number> {
  const [root, id, execRequest] = process.argv.slice(2);
  if (!root || !id) return 2;
  if (execRequest !== undefined) return runExec(root, id, JSON.parse(execRequest) as DetachedExec);
  process.title = `mydock-shim ${id.slice(0, 12)}`;
  const engine = await openEngine({ root });
  const svc = engine.containers;
  const c = await svc.get(id);
  const cfg = c.record.Config;
  let signals = new ProcessSignals({ pid1: true });
  // Set when `docker stop` signals a container waiting to be restarted: it stays exited.
  let stopRequested = false;
  let wakeBackoff: (() => void) | null = null;
  for (const s of FORWARDED) {
    process.on(`SIG${s}` as NodeJS.Signals, () => {
      signals.send(s);
      if (s === 'TERM' || s === 'INT') {
        stopRequested = true;
        wakeBackoff?.();
      }
    });
  }
  const stdout = new JsonLogOutput(c.record.LogPath, 'stdout', cfg.Tty);
  const stderr = cfg.Tty ? stdout : new JsonLogOutput(c.record.LogPath, 'stderr');
  // A program that waits on nothing but a promise (a shell on an idle
  // terminal) must not let the event loop run dry.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let started = false;
  try {
    for (let attempt = 0; ; attempt++) {
      // `-i` keeps stdin open: a pipe (or with -t a terminal) nobody writes to.
      const stdin = cfg.OpenStdin ? new IdleInput(signals, cfg.Tty) : new EmptyInput();
      stopRequested = false;
      const status = await svc.runMain(id, { stdin, stdout, stderr }, signals, () => {
        if (started) return;
        started = true;
        report({ type: 'started' });
        if (process.connected) process.disconnect();
      });
      const delay = await svc.restartDelay(id, status, attempt);
      if (delay === null) return status;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeBackoff = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeBackoff = null;
      if (stopRequested) {
        await svc.cancelRestart(id, status);
        return status;
      }
      signals = new ProcessSignals({ pid1: true });
    }
  } catch (err) {
    if (!started) reportFailure(err);
    return 1;
  } finally {
    stdout.flush();
    if (stderr !== stdout) stderr.flush();
    clearInterval(keepAlive);
  }
}

/** `exec -d`: the process's output goes nowhere, as with Docker. */
async function runExec(root: string, id: string, request: DetachedExec): Promise<number> {
  process.title = `mydock-shim ${id.slice(0, 12)} exec`;
  const engine = await openEngine({ root });
  const signals = new ProcessSignals();
  for (const s of FORWARDED) process.on(`SIG${s}` as NodeJS.Signals, () => signals.send(s));
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    await engine.containers.exec(id, request.argv, { stdin: new EmptyInput(), stdout: new NullOutput(), stderr: new NullOutput() }, signals, {
      ...request,
      onStarted: () => {
        report({ type: 'started' });
        if (process.connected) process.disconnect();
      },
    });
    return 0;
  } catch (err) {
    reportFailure(err);
    return 1;
  } finally {
    clearInterval(keepAlive);
  }
}

function reportFailure(err: unknown): void {
  const e = err instanceof MydockError ? err : null;
  report({
    type: 'failed',
    message: err instanceof Error ? err.message : String(err),
    code: e?.code ?? 'SHIM',
    status: e?.status ?? 1,
    runStatus: e?.runStatus ?? 125,
    daemon: e !== null && e.constructor.name === 'DaemonError',
  });
}

main().then(
  () => process.exit(0),
  () => process.exit(1),
);
