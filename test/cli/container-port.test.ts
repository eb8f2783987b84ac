/** `mydock port`: docker/cli's runPort over the container's published ports. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naturalLess } from '../../src/cli/commands/container-port.js';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe('naturalLess', () => {
  it('compares digit runs as numbers, as sortorder.NaturalLess', () => {
    const sorted = ['9000/udp -> x', '10/tcp -> y', '80/tcp -> z', '80/tcp -> [::]:1'].sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
    expect(sorted).toEqual(['10/tcp -> y', '80/tcp -> [::]:1', '80/tcp -> z', '9000/udp -> x']);
  });
});

describe.skipIf(!HAVE_BUSYBOX)('mydock port', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
  });
  afterAll(() => cleanup(root));

  it('lists the published ports of a running container in natural order, or one port', () => {
    mydock(root, ['run', '-d', '--name', 'p1', '-p', '8080:80', '-p', '127.0.0.1:9000:9000/udp', '-p', '10:10', '--expose', '7', 'bbase:1', 'sleep', '60']);
    try {
      expect(mydock(root, ['port', 'p1'])).toMatchObject({
        status: 0,
        stdout: '10/tcp -> 0.0.0.0:10\n10/tcp -> [::]:10\n80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n9000/udp -> 127.0.0.1:9000\n',
      });
      expect(mydock(root, ['port', 'p1', '80'])).toMatchObject({ status: 0, stdout: '0.0.0.0:8080\n[::]:8080\n' });
      expect(mydock(root, ['port', 'p1', '9000/udp'])).toMatchObject({ status: 0, stdout: '127.0.0.1:9000\n' });
      expect(mydock(root, ['port', 'p1', '7'])).toMatchObject({ status: 1, stderr: "Error: No public port '7' published for p1\n" });
      expect(mydock(root, ['port', 'p1', 'abc'])).toMatchObject({
        status: 1,
        stderr: 'Error: invalid port (abc): strconv.ParseUint: parsing "abc": invalid syntax\n',
      });
      expect(mydock(root, ['port', 'p1', '99999']).stderr).toBe('Error: invalid port (99999): strconv.ParseUint: parsing "99999": value out of range\n');
    } finally {
      mydock(root, ['rm', '-f', 'p1']);
    }
  });

  it('prints nothing for a container without published ports; a missing container is a daemon error', () => {
    mydock(root, ['create', '--name', 'p2', '-p', '8080:80', 'bbase:1', 'true']);
    expect(mydock(root, ['port', 'p2'])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(mydock(root, ['port', 'nosuch'])).toMatchObject({ status: 1, stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n' });
  });
});
