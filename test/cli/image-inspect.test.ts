/**
 * `image inspect` as Docker CLI 28 against Engine 20.10 shows it: templates
 * read Config as the OCI image config (omitempty fields: `{}` when nothing
 * is set), the JSON outputs keep the daemon's full config, and Comment
 * falls back to the last history row's (a commit's `-m`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('image inspect', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
    mydock(root, ['run', '--name', 'c1', 'bbase:1', 'sh', '-c', 'echo x > /x']);
  });
  afterAll(() => cleanup(root));

  it('prints the commit message as Comment', () => {
    mydock(root, ['commit', '-m', 'add x', 'c1', 'ii/msg:1']);
    expect(mydock(root, ['image', 'inspect', '--format', '{{.Comment}}', 'ii/msg:1']).stdout).toBe('add x\n');
    mydock(root, ['commit', 'c1', 'ii/nomsg:1']);
    expect(mydock(root, ['image', 'inspect', '--format', '{{.Comment}}|', 'ii/nomsg:1']).stdout).toBe('|\n');
  });

  it('shows Config to templates with empty fields left out, in the OCI order', () => {
    mydock(root, ['commit', '-c', 'CMD ["cat","/x"]', '-c', 'LABEL b=2 a=1', '-c', 'USER nobody', '-c', 'EXPOSE 80', 'c1', 'ii/cfg:1']);
    expect(mydock(root, ['image', 'inspect', '--format', '{{json .Config}}', 'ii/cfg:1']).stdout).toBe(
      '{"User":"nobody","ExposedPorts":{"80/tcp":{}},"Cmd":["cat","/x"],"Labels":{"a":"1","b":"2"}}\n',
    );
    // Unset fields still print as Go's zero values; fields outside the OCI type still answer.
    // (A commit keeps the container's hostname in its config.)
    expect(mydock(root, ['image', 'inspect', '--format', '{{.Config.Env}}|{{.Config.Entrypoint}}|{{.Config.WorkingDir}}|{{.Config.Hostname}}', 'ii/cfg:1']).stdout).toMatch(
      /^\[\]\|\[\]\|\|[0-9a-f]{12}\n$/,
    );
    const raw = JSON.parse(mydock(root, ['image', 'inspect', 'ii/cfg:1']).stdout) as { Config: Record<string, unknown> }[];
    expect(Object.keys(raw[0]!.Config).slice(0, 3)).toEqual(['Hostname', 'Domainname', 'User']);
    expect(mydock(root, ['image', 'inspect', '--format', 'json', 'ii/cfg:1']).stdout).toContain('"Config":{"Hostname":');
  });
});
