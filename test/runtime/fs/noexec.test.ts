/** A noexec mount: access(X_OK) of its regular files is refused (for root too), as Linux's faccessat does; directories stay searchable. */
import { describe, expect, it } from 'vitest';
import { ContainerFs } from '../../../src/runtime/fs/container-fs.js';
import { MemoryTree } from '../../../src/runtime/fs/memory-tree.js';
import { standardMounts } from '../../../src/runtime/fs/standard-mounts.js';

function namespace(): ContainerFs {
  const root = new MemoryTree({ kind: 'root', rootMode: 0o755 });
  root.mkdir('/scratch', 0o755);
  root.mkdir('/fast', 0o755);
  const cfs = new ContainerFs({ backend: root, readOnly: false }, [
    ...standardMounts(),
    { target: '/scratch', backend: new MemoryTree({ kind: 'tmpfs', rootMode: 0o1777 }), readOnly: false, kind: 'tmpfs', source: 'tmpfs', noexec: true },
    { target: '/fast', backend: new MemoryTree({ kind: 'tmpfs', rootMode: 0o1777 }), readOnly: false, kind: 'tmpfs', source: 'tmpfs' },
  ]);
  cfs.prepareMountpoints();
  return cfs;
}

describe('noexec mounts', () => {
  it('refuses X_OK on a regular file of a noexec mount, but not on an exec one', () => {
    const p = namespace().forProcess('/');
    for (const dir of ['/scratch', '/fast', '/']) {
      p.writeFile(`${dir === '/' ? '' : dir}/tool`, '#!/bin/sh\n', { mode: 0o755 });
      p.chmod(`${dir === '/' ? '' : dir}/tool`, 0o755);
    }
    expect(p.access('/scratch/tool', 'x')).toBe(false);
    expect(p.access('/scratch/tool', 'r')).toBe(true);
    expect(p.access('/scratch', 'x')).toBe(true);
    expect(p.access('/fast/tool', 'x')).toBe(true);
    expect(p.access('/tool', 'x')).toBe(true);
  });

  it('reports noexec in mountOf, for the tmpfs and the standard noexec mounts', () => {
    const p = namespace().forProcess('/');
    expect(p.mountOf('/scratch').noexec).toBe(true);
    expect(p.mountOf('/fast').noexec).toBe(false);
    expect(p.mountOf('/dev/shm').noexec).toBe(true);
    expect(p.mountOf('/proc').noexec).toBe(true);
    expect(p.mountOf('/dev').noexec).toBe(false);
    expect(p.mountOf('/').noexec).toBe(false);
  });
});
