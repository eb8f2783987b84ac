'use strict';
// Loads the CLI from its single-file bundle (dist/mydock.cjs, made by
// bin/bundle.mjs) with V8's code cache, so a command does not pay for parsing
// and compiling ~300 modules on every start. Node 20 has no compile cache of
// its own for this (module.enableCompileCache came in Node 22).
//
// The bundle is used only when it is newer than the last TypeScript build;
// otherwise (or when it is missing) the caller imports dist/ module by module,
// which gives the same program, only slower to start.
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'mydock.cjs');
const CODE_CACHE = `${BUNDLE}.cache`;
const TS_BUILD_INFO = path.join(DIST, '.tsbuildinfo');

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** True when the bundle exists and no TypeScript build has run since it was made. */
function bundleIsFresh() {
  const bundle = mtimeMs(BUNDLE);
  if (bundle === null) return false;
  const built = mtimeMs(TS_BUILD_INFO);
  return built === null || built <= bundle;
}

/**
 * The bundle starts with `/*<id>*\/`, a digest of the rest; the code cache
 * starts with the id of the bundle it was made for. V8 itself checks only
 * the source's length, so a cache of another build of the same length would
 * run that build's code.
 */
const BUILD_ID_LENGTH = 32;

function bundleId(source) {
  return source.slice(2, 2 + BUILD_ID_LENGTH);
}

function codeCacheFor(id) {
  let data;
  try {
    data = fs.readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
  return data.length > BUILD_ID_LENGTH && data.toString('latin1', 0, BUILD_ID_LENGTH) === id ? data.subarray(BUILD_ID_LENGTH) : undefined;
}

/**
 * Compiles and runs the bundle; returns its exports and the compiled script
 * (whose createCachedData() gives a fresh code cache once commands have run).
 * A code cache from another Node.js version or other V8 flags is rejected by
 * V8 and the bundle is simply compiled from source.
 */
function loadBundle() {
  // The bundle is ASCII and already wrapped as a CommonJS function (bin/bundle.mjs makes sure): latin1 skips UTF-8 decoding.
  const source = fs.readFileSync(BUNDLE, 'latin1');
  const script = new vm.Script(source, { filename: BUNDLE, cachedData: codeCacheFor(bundleId(source)) });
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(BUNDLE), bundleModule, BUNDLE, DIST);
  return { exports: bundleModule.exports, script };
}

module.exports = { BUILD_ID_LENGTH, BUNDLE, CODE_CACHE, bundleId, bundleIsFresh, loadBundle };
