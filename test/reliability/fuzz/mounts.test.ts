/** -v, --mount and --tmpfs values: a mount request, or Docker's flag and daemon errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseVolumeFlag } from '../../../src/engine/mounts/volume-flag.js';
import { checkMountRequest, parseMountFlag } from '../../../src/engine/mounts/mount-flag.js';
import { parseTmpfsFlag } from '../../../src/engine/mounts/tmpfs-flag.js';
import { MydockError } from '../../../src/engine/errors.js';
import { assertOptions, budgetMs, classify, hostileText, Tally } from './harness.js';

/** The starts of every message Docker gives for a bad mount value. */
const DOCKER_TEXTS = [
  'invalid spec: ',
  'invalid volume specification: ',
  'invalid argument "',
  'invalid mount config for type ',
  'invalid mode: ',
  'invalid mount path: ',
  'create ',
];

const accept = (err: unknown): string | null => {
  if (!(err instanceof MydockError)) return 'not a MydockError';
  return DOCKER_TEXTS.some((t) => err.message.startsWith(t)) ? null : 'wording';
};

const PATHS = ['/', '/data', '..', '../', '/..', '/a/../..', '.', './x', 'vol', 'v', 'my-vol.1', 'a/b', '~', 'C:\\x', '//', '/a//b/'];
const VOLUME_TOKENS = [...PATHS, ':', ':', 'ro', 'rw', 'z', 'Z', 'shared', 'rslave', 'nocopy', 'cached', ',', '\u0000', ' '];
const MOUNT_TOKENS = [
  'type=', 'bind', 'volume', 'tmpfs', 'npipe', 'source=', 'src=', 'target=', 'dst=', 'destination=', 'readonly', 'ro=', 'true',
  'false', '1', 'yes', 'volume-nocopy', 'volume-driver=', 'volume-label=', 'volume-opt=', 'volume-subpath=', 'bind-propagation=',
  'bind-recursive=', 'tmpfs-size=', 'tmpfs-mode=', '1m', '-1', '99999999999999999999g', '0777', 'consistency=', ',', ',', '"', '""', '=',
  ...PATHS,
];
const TMPFS_TOKENS = [...PATHS, ':', 'size=', 'mode=', 'ro', 'rw', 'noexec', ',', '=', '64m', '1e9', '-5', '0x10', '777', '08'];

describe('fuzz: mount flags', () => {
  it('-v: a request or Docker\'s error', () => {
    const tally = new Tally('mounts.parseVolumeFlag');
    fc.assert(
      fc.property(hostileText(VOLUME_TOKENS), (spec) => {
        tally.add(classify(() => parseVolumeFlag(spec), accept, spec));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(1));

  it('--mount: a request or Docker\'s error, parsed then checked as the daemon does', () => {
    const tally = new Tally('mounts.parseMountFlag+checkMountRequest');
    fc.assert(
      fc.property(hostileText(MOUNT_TOKENS), (spec) => {
        tally.add(classify(() => checkMountRequest(parseMountFlag(spec)), accept, spec));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(1));

  it('--tmpfs: a request or Docker\'s error; a parsed size or mode is a real number', () => {
    const tally = new Tally('mounts.parseTmpfsFlag');
    fc.assert(
      fc.property(hostileText(TMPFS_TOKENS), (spec) => {
        tally.add(
          classify(
            () => {
              const r = parseTmpfsFlag(spec);
              const { sizeBytes, mode } = r.request.tmpfs ?? {};
              if (sizeBytes !== undefined && !(Number.isSafeInteger(sizeBytes) && sizeBytes >= 0)) throw new Error(`size ${sizeBytes} from ${spec}`);
              if (mode !== undefined && !Number.isSafeInteger(mode)) throw new Error(`mode ${mode} from ${spec}`);
            },
            accept,
            spec,
          ),
        );
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(1));
});
