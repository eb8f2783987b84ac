#!/usr/bin/env node
// Build step (part of `npm run build`, after tsc): bundles the compiled CLI
// into one file, dist/mydock.cjs, and records V8's code cache for it after
// running the listing commands, so that they start almost as fast as node
// itself. See bundle-loader.js for how bin/mydock.js uses them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import loader from './bundle-loader.js';

const { BUILD_ID_LENGTH, BUNDLE, CODE_CACHE, bundleId, loadBundle } = loader;

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(PACKAGE_DIR, 'dist');
const PATHS_MODULE = path.join(DIST, 'state', 'install-paths.js');

/**
 * Every module of the bundle shares one file, so `import.meta.url` can stand
 * for one module only: install-paths.js, through which all others find the
 * package's files. Another module using it would silently get wrong paths.
 */
function checkImportMetaUse() {
  const offenders = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.js') && file !== PATHS_MODULE && fs.readFileSync(file, 'utf8').includes('import.meta')) offenders.push(path.relative(PACKAGE_DIR, file));
    }
  };
  walk(DIST);
  if (offenders.length > 0) {
    throw new Error(`only src/state/install-paths.ts may use import.meta (the bundle gives every module its URL); found in: ${offenders.join(', ')}`);
  }
}

/** mydock processes may be starting while a build runs: they must never read half a file (the project's own atomic write, compiled just before). */
const { writeFileAtomic: writeAtomically } = await import(pathToFileURL(path.join(DIST, 'state', 'atomic.js')).href);

/** The function the bundle's text is wrapped in: Node's own CommonJS wrapper, so the loader compiles the file as it is. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/**
 * esbuild gives each module that imports a CommonJS module (every `import fs
 * from 'node:fs'`) its own copy of the module's properties, made at start-up:
 * some 80 copies of fs and path, several milliseconds. Wrappers of one module
 * are interchangeable (read-only forwarders), so one per module is kept.
 */
const HELPER = 'var __toESM=';
const SHARED_TO_ESM = `function __toESM(mod,isNodeMode){if(mod==null||typeof mod!=="object"&&typeof mod!=="function")return __toESM_each(mod,isNodeMode);const seen=__toESM.seen??=[new WeakMap,new WeakMap],cache=seen[isNodeMode?1:0];let wrapped=cache.get(mod);if(wrapped===void 0){wrapped=__toESM_each(mod,isNodeMode);cache.set(mod,wrapped)}return wrapped}`;

function shareModuleWrappers(source) {
  const at = source.indexOf(HELPER);
  if (at < 0 || source.indexOf(HELPER, at + 1) >= 0) {
    throw new Error(`bundle: esbuild's __toESM helper not found exactly once (esbuild changed its output?); update bin/bundle.mjs`);
  }
  return `${source.slice(0, at)}${SHARED_TO_ESM};var __toESM_each=${source.slice(at + HELPER.length)}`;
}

/**
 * esbuild leaves non-ASCII characters in regular expression literals (µs in
 * Go durations); there, as everywhere else in its output, \\uXXXX means the same.
 */
function asciiOnly(source) {
  return source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A script compiled by the loader (vm.Script) cannot import() without an
 * experimental flag: a dynamic import of a Node.js module becomes a require.
 */
const builtinsRequiredNotImported = {
  name: 'builtins-required-not-imported',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'node-builtin' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * Node.js modules whose loading costs a listing command milliseconds (crypto
 * ~3 ms, stream ~1.5 ms) while only some paths use them (a sha256, a random
 * id, a tar stream). Their named imports are stand-ins that load the module
 * on first use: functions that forward their calls, and classes as proxies
 * that forward everything (statics, new, instanceof, extends). A name not
 * listed here fails the build ("No matching export").
 */
const LAZY_BUILTINS = {
  'node:crypto': { functions: ['createHash', 'randomBytes', 'randomFillSync', 'randomInt'], classes: [] },
  'node:stream': { functions: ['pipeline'], classes: ['Readable'] },
};

function lazyModuleSource(specifier) {
  const { functions, classes } = LAZY_BUILTINS[specifier];
  return [
    `let loaded;`,
    `const load = () => (loaded ??= require(${JSON.stringify(specifier)}));`,
    ...functions.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
    ...classes.map(
      (name) =>
        `export const ${name} = new Proxy(function ${name}() {}, {` +
        ` get: (_, key) => load().${name}[key],` +
        ` has: (_, key) => key in load().${name},` +
        ` apply: (_, self, args) => Reflect.apply(load().${name}, self, args),` +
        ` construct: (_, args, newTarget) => Reflect.construct(load().${name}, args, newTarget),` +
        ` getPrototypeOf: () => Reflect.getPrototypeOf(load().${name}) });`,
    ),
  ].join('\n');
}

const builtinsLoadedOnFirstUse = {
  name: 'builtins-loaded-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.path in LAZY_BUILTINS && args.kind === 'import-statement' && args.namespace === 'file' ? { path: args.path, namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ loader: 'js', contents: lazyModuleSource(args.path) }));
  },
};

function checkNoDynamicImports(metafile) {
  const left = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
  if (left.length > 0) throw new Error(`bundle: import() of ${left.join(', ')} would fail in the bundle; import it statically`);
}

async function bundle() {
  // A getter: node:url loads, and the URL is built, only when install-paths.js is first used (few commands do).
  const urlVar = '__mydock_install_paths.url';
  const result = await build({
    entryPoints: [path.join(DIST, 'cli', 'main.js')],
    write: false,
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    define: { 'import.meta.url': urlVar },
    banner: { js: `const __mydock_install_paths = { get url() { return require('node:url').pathToFileURL(${JSON.stringify(path.relative(DIST, PATHS_MODULE))}.split('/').reduce((p, s) => require('node:path').join(p, s), __dirname)).href; } };` },
    // Identifiers keep their names: stack traces stay readable, and the helper above can be found.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // ASCII output reads as latin1 (no UTF-8 decoding) and yields the same string the code cache was made for.
    charset: 'ascii',
    logLevel: 'warning',
    plugins: [builtinsRequiredNotImported, builtinsLoadedOnFirstUse],
    metafile: true,
  });
  checkNoDynamicImports(result.metafile);
  const source = asciiOnly(shareModuleWrappers(result.outputFiles[0].text));
  const text = `${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`;
  const id = createHash('sha256').update(text).digest('hex').slice(0, BUILD_ID_LENGTH);
  writeAtomically(BUNDLE, Buffer.from(`/*${id}*/${text}`, 'latin1'));
}

/** Output sink for the warm-up runs: nothing reaches the terminal. */
function silentIo() {
  const sink = { write() {}, isTTY: false };
  return { out: sink, err: sink, in: Readable.from([]), stdinIsTTY: false, color: false };
}

/**
 * Listing commands, whose start-up is most of their time. The listings run
 * twice: the second reads the container list snapshot the first wrote.
 */
const WARM_UP = [['images'], ['ps', '-a'], ['ps', '-a', '-s'], ['ps', '-a'], ['ps', '-a', '-s'], ['ps', '-a', '-q'], ['volume', 'ls'], ['image', 'history', 'busybox'], ['--help']];

/**
 * What the warm-up root holds besides the image, made by separate processes
 * (their code is not what listings run): containers exited and created, so
 * that the code listing each container runs is compiled and cached too.
 */
const WARM_UP_SETUP = [
  ['pull', 'busybox'],
  ['run', '--name', 'warm1', 'busybox', 'sh', '-c', 'echo hello > /a'],
  ['run', '--name', 'warm2', 'busybox', 'true'],
  ['create', '--name', 'warm3', 'busybox'],
];

/**
 * Runs the commands users start most often, in this process, against a
 * throwaway root holding one image, then saves the code V8 compiled for them.
 */
async function recordCodeCache() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-bundle-'));
  try {
    const root = path.join(dir, 'root');
    for (const argv of WARM_UP_SETUP) execFileSync(process.execPath, [path.join(PACKAGE_DIR, 'bin', 'mydock.js'), '--root', root, ...argv], { stdio: 'ignore' });
    const { exports: cli, script } = loadBundle();
    const env = { ...process.env, NO_COLOR: '1' };
    for (const argv of WARM_UP) {
      const status = await cli.main(['--root', root, ...argv], silentIo(), env);
      if (status !== 0) throw new Error(`warm-up command failed (status ${status}): mydock ${argv.join(' ')}`);
    }
    writeAtomically(CODE_CACHE, Buffer.concat([Buffer.from(bundleId(fs.readFileSync(BUNDLE, 'latin1')), 'latin1'), script.createCachedData()]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

checkImportMetaUse();
await bundle();
await recordCodeCache();
