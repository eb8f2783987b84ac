import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseVolumeFlag } from '../../../src/engine/mounts/volume-flag.js';
import { checkMountRequest, parseMountFlag, splitCsv } from '../../../src/engine/mounts/mount-flag.js';
import { parseTmpfsFlag } from '../../../src/engine/mounts/tmpfs-flag.js';
import { DaemonError, MydockError, OptionError, UsageError } from '../../../src/engine/errors.js';
import { ramInBytesOrNull } from '../../../src/engine/units.js';

describe('-v', () => {
  it.each([
    ['data_volume:/var/lib/mysql', { type: 'volume', source: 'data_volume', target: '/var/lib/mysql', readOnly: false }],
    ['/home/some_db:/var/lib/mysql', { type: 'bind', source: '/home/some_db', target: '/var/lib/mysql', propagation: 'rprivate' }],
    ['/h:/m:ro', { type: 'bind', readOnly: true, mode: 'ro' }],
    ['vv:/m:ro,nocopy', { type: 'volume', readOnly: true, volume: { noCopy: true, labels: {}, driverOptions: {} } }],
    ['/data', { type: 'volume', source: '', target: '/data' }],
    ['relative:/x', { type: 'volume', source: 'relative' }],
  ])('%s', (spec, want) => {
    expect(parseVolumeFlag(spec)).toMatchObject(want);
  });

  // Texts observed from Docker (CLI 28, Engine 20.10).
  it.each([
    [':/x', OptionError, 'invalid spec: :/x: empty section between colons'],
    ['/a:', OptionError, 'invalid spec: /a:: empty section between colons'],
    ['/a:relative', DaemonError, `invalid volume specification: '/a:relative': invalid mount config for type "bind": invalid mount path: 'relative' mount path must be absolute`],
    ['/a:/b:bogus', DaemonError, 'invalid mode: bogus'],
    ['/a:/b:ro,rw', DaemonError, 'invalid mode: ro,rw'],
    ['a/b:/x', DaemonError, 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    ['/a:/b:/c:d', OptionError, 'invalid spec: /a:/b:/c:d: too many colons'],
    ['/a:/b:ro:x', OptionError, 'invalid spec: /a:/b:ro:x: too many colons'],
    ['/a:/b:/c', DaemonError, 'invalid mode: /c'],
    ['/a:/b:c:d', DaemonError, "invalid volume specification: '/a:/b:c:d'"],
    ['/a:/', DaemonError, `invalid volume specification: '/a:/': invalid mount config for type "bind": invalid specification: destination can't be '/'`],
  ])('%s fails: %s', (spec, cls, message) => {
    expect(() => parseVolumeFlag(spec)).toThrow(message);
    expect(() => parseVolumeFlag(spec)).toThrow(cls);
  });
});

describe('--mount', () => {
  it('reads every alias and option', () => {
    expect(checkMountRequest(parseMountFlag('type=bind,src=/h,dst=/m,readonly'))).toMatchObject({ type: 'bind', source: '/h', target: '/m', readOnly: true });
    expect(checkMountRequest(parseMountFlag('type=volume,source=vv,destination=/m,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs'))).toMatchObject({
      volume: { noCopy: true, labels: { a: 'b' }, driverOptions: { type: 'tmpfs' } },
    });
    expect(parseMountFlag('type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770').tmpfs).toEqual({ sizeBytes: 64 * 1024 * 1024, mode: 0o1770 });
    expect(parseMountFlag('dst=/m').type).toBe('volume');
    expect(parseMountFlag('type=bind,src=/tmp,dst=/m,readonly,ro=false').readOnly).toBe(false);
  });

  const flagError = (spec: string, reason: string) => `invalid argument "${spec}" for "--mount" flag: ${reason}`;
  it.each([
    ['type=bind,src=/tmp,dst=/m,volume-nocopy', "cannot mix 'volume-*' options with mount type 'bind'"],
    ['type=volume,src=v1,dst=/m,bind-propagation=rprivate', "cannot mix 'bind-*' options with mount type 'volume'"],
    ['type=volume,dst=/m,bogus=1', "unexpected key 'bogus' in 'bogus=1'"],
    ['type=volume,target=/m,readonly=maybe', 'invalid value for readonly: maybe'],
    ['type=tmpfs,dst=/m,tmpfs-size=abc', 'invalid value for tmpfs-size: abc'],
    ['foo', "invalid field 'foo' must be a key=value pair"],
    ['type=bind,source=/h', 'target is required'],
  ])('%s is a flag error', (spec, reason) => {
    expect(() => parseMountFlag(spec)).toThrow(flagError(spec, reason));
    expect(() => parseMountFlag(spec)).toThrow(UsageError);
  });

  it.each([
    ['type=tmpfs,dst=/m,src=x', 'invalid mount config for type "tmpfs": field Source must not be specified'],
    ['type=bind,target=/m', 'invalid mount config for type "bind": field Source must not be empty'],
    ['type=bogus,target=/m', 'invalid mount config for type "bogus": mount type unknown'],
    ['type=bind,src=relative,dst=/m', "invalid mount config for type \"bind\": invalid mount path: 'relative' mount path must be absolute"],
  ])('%s is refused by the daemon', (spec, message) => {
    expect(() => checkMountRequest(parseMountFlag(spec))).toThrow(message);
  });

  it('splits CSV with quotes', () => {
    expect(splitCsv('"src=/a,b",dst=/m')).toEqual(['src=/a,b', 'dst=/m']);
  });
});

describe('--tmpfs and sizes', () => {
  it('keeps options as written', () => {
    expect(parseTmpfsFlag('/t:size=1k,mode=1777')).toMatchObject({ target: '/t', options: 'size=1k,mode=1777', request: { tmpfs: { sizeBytes: 1024, mode: 0o1777 } } });
    expect(() => parseTmpfsFlag('relative')).toThrow("invalid mount path: 'relative' mount path must be absolute");
  });
  it.each([['64m', 67108864], ['1.5k', 1536], ['100', 100], ['1g', 1073741824], ['10MiB', 10485760], ['x', null]])('%s', (t, n) => {
    expect(ramInBytesOrNull(t)).toBe(n);
  });
});

describe('never crash on any spec', () => {
  it('every input ends in a request or a typed error', () => {
    const piece = fc.oneof(fc.constantFrom(':', ',', '=', '/', 'ro', 'type=', 'src=', 'dst=', '"', 'volume-nocopy', 'tmpfs-size='), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const spec = parts.join('');
        for (const f of [() => parseVolumeFlag(spec), () => checkMountRequest(parseMountFlag(spec)), () => parseTmpfsFlag(spec)]) {
          try {
            f();
          } catch (err) {
            expect(err).toBeInstanceOf(MydockError);
          }
        }
      }),
      { numRuns: 5000 },
    );
  });
});
