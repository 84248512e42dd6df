// Starts a bundled entry point (dist/bundle/<entry>.js, made by scripts/build.mjs) through a V8 code cache, so a
// start after the first one skips most of the compilation of its JavaScript. The build copies this file to
// dist/bundle/launch.cjs and writes dist/<entry>.js, which calls it with the bundle's content hash.
//
// DECISION: a code cache of our own, as Node 22's module.enableCompileCache() keeps one, since Node 20 has none and
// the v8-compile-cache package caches what is compiled before the code runs: almost nothing of a bundle, whose
// modules V8 compiles lazily. The cache is taken after the process has run (at exit, when it exits with 0), so it
// holds every function that start-up compiled; it is written once per bundle (again only when V8 rejects it: another
// Node version or other V8 flags), to a temporary file renamed into place, and a folder that cannot be written to is
// no error. V8 checks a cache against the source's length only, so its name carries the bundle's hash: a rebuilt
// bundle never reads the cache of another.
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/** Runs dist/bundle/<entry>.js as if it were `launcher` (dist/<entry>.js): same process.argv, same resolution. */
module.exports = function launch(launcher, entry, bundleHash) {
  const bundle = join(dirname(launcher), 'bundle', `${entry}.js`);
  const cacheFile = join(dirname(bundle), `${entry}.${bundleHash}.cache`);
  const { script, cached } = compile(bundle, cacheFile);
  if (!cached) {
    process.once('exit', (code) => {
      if (code === 0) writeCache(script, cacheFile);
    });
  }
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  // The bundle is the module wrapper function itself (see scripts/build.mjs).
  script.runInThisContext()(module.exports, createRequire(launcher), module, bundle, dirname(bundle));
  module.loaded = true;
};

/**
 * The cache is read here, in a call that has returned before the bundle runs, so nothing holds its ~6 MB buffer while
 * the modules load: it goes at the first collection rather than with the first full one.
 */
function compile(bundle, cacheFile) {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData });
  return { script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

function writeCache(script, cacheFile) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only installation: every start compiles, as without a cache.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}
