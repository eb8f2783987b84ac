/** `mydock build` against the built binary: the classic builder's output, cache, errors and the seed contexts. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO, TempRoot } from '../helpers/cli.js';
import { openEngine } from '../../src/engine/engine.js';
import { engineParts } from '../../src/engine/containers/wiring.js';

const CONTEXTS = path.join(REPO, 'fixtures', 'contexts');

describe('mydock build', () => {
  let t: TempRoot;
  let ctx: string;
  beforeAll(() => {
    ensureBuilt();
    t = new TempRoot('mydock-build-');
    ctx = path.join(t.dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM alpine\nLABEL t=1\nCOPY hello.sh /app/\nRUN echo out && echo err >&2\nCMD /app/hello.sh\n');
    fs.writeFileSync(path.join(ctx, 'hello.sh'), 'echo hi\n');
  });
  afterAll(() => t.cleanup());

  it('prints the classic builder steps, then hits the cache and gives the same ID', () => {
    const first = t.run(['build', '-t', 'bt/one:1', ctx]);
    expect(first.status).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toBe('Sending build context to Docker daemon  3.072kB\r\r');
    expect(first.stdout).toContain('Step 1/5 : FROM alpine\n');
    expect(first.stdout).toMatch(/Step 2\/5 : LABEL t=1\n ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n/);
    expect(first.stdout).toMatch(/Step 3\/5 : COPY hello.sh \/app\/\n ---> [0-9a-f]{12}\n/);
    expect(first.stdout).toMatch(/ ---> Running in [0-9a-f]{12}\nout\n\x1b\[91merr\n\x1b\[0mRemoving intermediate container/);
    const id = /Successfully built ([0-9a-f]{12})\nSuccessfully tagged bt\/one:1\n$/.exec(first.stdout)?.[1];
    expect(id).toBeDefined();

    const again = t.run(['build', '-t', 'bt/one:1', ctx]);
    expect(again.stdout.match(/ ---> Using cache\n/g)).toHaveLength(4);
    expect(again.stdout).toContain(`Successfully built ${id}\n`);
    const quiet = t.run(['build', '-q', ctx]);
    expect(quiet.stdout).toMatch(new RegExp(`^sha256:${id}[0-9a-f]{52}\n$`));
    expect(quiet.stderr).toBe('');
  });

  it('fails a RUN with the command text and its exit status; -q then prints the buffered output', () => {
    const dir = path.join(t.dir, 'fail');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine\nRUN exit 3\n');
    const r = t.run(['build', '-q', '-t', 'bt/fail:1', dir]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Sending build context to Docker daemon {2}2.048kB\r\r\nStep 1\/2 : FROM alpine\n/);
    expect(r.stderr).toMatch(/The command '\/bin\/sh -c exit 3' returned a non-zero code: 3\n$/);
  });

  it('reports COPY errors with Docker texts', () => {
    const dir = path.join(t.dir, 'copy');
    fs.mkdirSync(dir);
    const build = (df: string) => {
      fs.writeFileSync(path.join(dir, 'Dockerfile'), df);
      return t.run(['build', dir]);
    };
    let r = build('FROM alpine\nCOPY ../x /\n');
    expect(r.stderr).toBe('COPY failed: forbidden path outside the build context: ../x ()\n');
    expect(r.status).toBe(1);
    r = build('FROM alpine\nCOPY Dockerfile Dockerfile /x\n');
    expect(r.stderr).toBe('When using COPY with more than one source file, the destination must be a directory and end with a /\n');
    r = build('FROM alpine\nCOPY nosuch /\n');
    expect(r.stderr).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat nosuch: file does not exist\n');
    r = build('FROM alpine\nADD http://example.com/x /x\n');
    expect(r.stderr).toMatch(/^ADD failed: Get "http:\/\/example.com\/x": dial tcp: lookup example.com: no such host/);
  });

  it('rejects a bad -t as a flag error', () => {
    const r = t.run(['build', '-t', 'Orc_L_Bad:1', ctx]);
    expect(r.status).toBe(125);
    expect(r.stderr.split('\n')[0]).toBe(
      'invalid argument "Orc_L_Bad:1" for "-t, --tag" flag: invalid reference format: repository name (library/Orc_L_Bad) must be lowercase',
    );
  });

  it('seed-cache: make is not installed in ubuntu:18.04, so the build fails with 127', () => {
    const r = t.run(['build', '-t', 'bt/cache:1', path.join(CONTEXTS, 'seed-cache')]);
    expect(r.status).toBe(127);
    expect(r.stderr).toBe("The command '/bin/sh -c make /app' returned a non-zero code: 127\n");
  });

  it('seed-cache-rm: removing a lower layer\'s directory adds a layer and does not shrink the image', async () => {
    const r = t.run(['build', '-t', 'bt/cache-rm:1', path.join(CONTEXTS, 'seed-cache-rm')]);
    expect(r.status).toBe(0);
    const engine = await openEngine({ root: t.root });
    const images = await engineParts(engine).imageStore();
    const img = images.resolve('bt/cache-rm:1');
    const chain = images.layers.chain(img.topLayer!);
    const [writer, remover] = chain.slice(-2);
    expect(writer!.size).toBe(1_000_000);
    expect(remover!.size).toBe(0);
    const parent = images.get(img.parent!)!;
    expect(images.size(img)).toBe(images.size(parent));
    const rows = img.config.history!.slice(-3).map((h) => [h.created_by, h.empty_layer ?? false]);
    expect(rows).toEqual([
      ['/bin/sh -c mkdir -p $HOME/.cache && head -c 1000000 /dev/zero > $HOME/.cache/build.bin', false],
      ['/bin/sh -c rm -r $HOME/.cache', false],
      ['/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "python /app/app.py"]', true],
    ]);
  });
});
