// Runs one `sh -c SCRIPT` in mydock's emulated runtime, over a container
// filesystem whose root is an in-memory tree; used by bench/shell-loop.sh
// (needs `npm run build` first).
import { ContainerFs } from '../dist/runtime/fs/container-fs.js';
import { MemoryTree } from '../dist/runtime/fs/memory-tree.js';
import { makeEmulatedBinary } from '../dist/runtime/binary-marker.js';
import { ProcessRunner } from '../dist/runtime/exec.js';
import { NodeOutput } from '../dist/runtime/streams.js';

const cfs = new ContainerFs({ backend: new MemoryTree({ kind: 'overlay', rootMode: 0o755 }) });
const setup = cfs.forProcess('/');
setup.mkdir('/bin');
setup.mkdir('/tmp', { mode: 0o1777 });
setup.writeFile('/bin/busybox', makeEmulatedBinary('busybox', 4096), { mode: 0o755 });
setup.chmod('/bin/busybox', 0o755);
setup.symlink('busybox', '/bin/sh');

const runner = new ProcessRunner({
  forProcess: (cwd, options) => cfs.forProcess(cwd, options),
  container: { id: 'bench', name: 'bench', hostname: 'bench', image: 'busybox' },
});
const p = await runner.startMainProcess(['/bin/sh', '-c', process.argv[2]], {
  env: { PATH: '/bin' },
  stdout: new NodeOutput(process.stdout),
  stderr: new NodeOutput(process.stderr),
});
const { status } = await p.exited;
process.exitCode = status;
