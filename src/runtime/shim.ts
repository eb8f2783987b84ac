/**
 * The shim: a detached container's main program runs in a background node
 * process of its own (dist/runtime/shim-main.js), so the CLI can return
 * while the program keeps running, as containerd-shim does for Docker.
 *
 * Handshake: the shim reports over an IPC channel once it has recorded the
 * start ("started") or why it could not ("failed", with Docker's error);
 * the CLI then lets go of it (disconnect + unref), and the shim lives on
 * alone until its program ends.
 */
import { spawn } from 'node:child_process';
import { ownModule } from '../state/install-paths.js';

export type ShimMessage =
  | { type: 'started' }
  | { type: 'failed'; message: string; code: string; status: number; runStatus: number; daemon: boolean };

export const SHIM_MAIN = ownModule('runtime/shim-main.js');

export class ShimFailed extends Error {
  constructor(readonly detail: Extract<ShimMessage, { type: 'failed' }>) {
    super(detail.message);
    this.name = 'ShimFailed';
  }
}

/** Starts a shim for `containerId` in the root and waits for its handshake; `exec` (JSON) runs an `exec -d` process instead of the main one. */
export function spawnShim(root: string, containerId: string, exec?: string): Promise<void> {
  const child = spawn(process.execPath, [SHIM_MAIN, root, containerId, ...(exec !== undefined ? [exec] : [])], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, MYDOCK_SHIM: '1' },
  });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const letGo = (): void => {
      settled = true;
      if (child.connected) child.disconnect();
      child.unref();
    };
    child.on('message', (m: ShimMessage) => {
      if (settled) return;
      letGo();
      if (m.type === 'started') resolve();
      else reject(new ShimFailed(m));
    });
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the shim for ${containerId.slice(0, 12)} ended before starting (${signal ?? `status ${code}`})`));
    });
  });
}
