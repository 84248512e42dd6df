// The build (`npm run build`; `npm start` runs it with --if-stale), each step printed as it starts:
//   1. `nest build`: TypeScript with the @nestjs/swagger plugin (nest-cli.json), into dist/compiled/;
//   2. one esbuild bundle per entry point, dist/bundle/<name>.js: the programs (main, seed) and the worker threads'
//      scripts (the price file reader, the embedded database), which are loaded by their path;
//   3. dist/<program>.js, which turns on Node's compile cache (module.enableCompileCache(), in dist/.compile-cache/:
//      none when dist/ cannot be written to) and requires its bundle;
//   4. the migrated embedded database image, dist/embedded-image/ (scripts/build-embedded-image.mjs).
// With --if-stale it does nothing when dist/ was built from the same sources, configuration and lock file.
//
// DECISION: the built server is bundled because resolving and loading ~5,000 module files was most of the cold start.
// esbuild bundles the JavaScript that `nest build` emitted, so decorator metadata and the OpenAPI plugin's output are
// tsc's, unchanged. `nest start` (start:dev) runs dist/compiled/ unbundled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const COMPILED = join(DIST, 'compiled');
const BUNDLE = join(DIST, 'bundle');
/** Every bundle, by name: the programs, then the worker scripts (run in a worker thread by their path). */
const PROGRAMS = { main: 'main.js', seed: 'seed.js' };
const WORKERS = {
  'source-reader': 'price-loads/source-reader.worker.js',
  'embedded-postgres.worker': 'database/embedded/embedded-postgres.worker.js',
};
const FINGERPRINT_FILE = join(DIST, '.build-fingerprint');
/** What the build reads besides node_modules, which package-lock.json stands for. */
const INPUTS = [
  'src',
  'scripts/build.mjs',
  'scripts/import-meta-url.mjs',
  'scripts/build-embedded-image.mjs',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

/**
 * Left out of the bundles and loaded from node_modules at run time:
 * - a native addon (argon2), and packages that find files beside their own code (PGlite's WebAssembly, the OpenAPI
 *   UI's assets, piscina's worker script);
 * - packages that NestJS loads through `createRequire(import.meta.url)` (@nestjs/mapped-types, @nestjs/common's
 *   optional packages), which esbuild does not follow (evanw/esbuild#1828): bundled, the app would hold one copy and
 *   Nest load a second one from node_modules (two metadata stores of class-validator or class-transformer); typeorm
 *   is bundled, see typeormOfTheBundle;
 * - what is loaded with import() only where it is needed (LOG_FORMAT=pretty, REDIS_URL);
 * - ansis (typeorm's colours), whose regular expressions spell characters beyond ASCII (see assertAsciiBundles);
 * - the optional packages of Nest and class-transformer that this app does not install.
 */
const EXTERNAL = [
  'argon2',
  '@electric-sql/pglite',
  'swagger-ui-dist',
  'piscina',
  'class-validator',
  'ansis',
  'class-transformer',
  'pino-pretty',
  'ioredis',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
  '@fastify/view',
  'exceljs',
  'yauzl',
];

const ifStale = process.argv.includes('--if-stale');
const fingerprint = fingerprintOf(INPUTS);
if (ifStale && isUpToDate(fingerprint)) {
  console.log('dist/ is up to date (built from these sources)');
  process.exit(0);
}

rmSync(FINGERPRINT_FILE, { force: true });
step('1/4 nest build: TypeScript and the OpenAPI plugin, src/ → dist/compiled/');
const nest = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('@nestjs/cli/bin/nest.js'), 'build'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (nest.status !== 0) process.exit(nest.status ?? 1);

step(`2/4 esbuild: ${[...Object.keys(PROGRAMS), ...Object.keys(WORKERS)].join(', ')} → dist/bundle/`);
rmSync(BUNDLE, { recursive: true, force: true });
rmSync(join(DIST, '.compile-cache'), { recursive: true, force: true });
const entryPoints = Object.fromEntries(
  Object.entries({ ...PROGRAMS, ...WORKERS }).map(([name, compiled]) => [name, join(COMPILED, compiled)]),
);
await build({
  entryPoints,
  outdir: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The bundled ESM packages of NestJS read import.meta.url, which a CommonJS bundle has not: each bundle's own
  // location stands for it (esbuild's documented way, inject and define).
  inject: [join(ROOT, 'scripts/import-meta-url.mjs')],
  define: { 'import.meta.url': 'import_meta_url' },
  // DECISION: whitespace, comments and syntax minified (V8 holds the whole source while the process runs); names as
  // written, so class names (the OpenAPI document's schema names, Nest's providers and log contexts) stay theirs.
  // The linked source map gives the TypeScript line (node --enable-source-maps).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: EXTERNAL,
  plugins: [typeormOfTheBundle()],
});
assertAsciiBundles();

step('3/4 dist/main.js, dist/seed.js: start their bundle with the compile cache');
for (const name of Object.keys(PROGRAMS)) {
  writeFileSync(
    join(DIST, `${name}.js`),
    `// Written by scripts/build.mjs. V8's compiled code of the bundle is kept between starts (Node's compile cache).\n` +
      `require('node:module').enableCompileCache(require('node:path').join(__dirname, '.compile-cache'));\n` +
      `require('./bundle/${name}.js');\n`,
  );
}

step('4/4 the migrated embedded database image, dist/embedded-image/');
const image = spawnSync(process.execPath, [join(ROOT, 'scripts/build-embedded-image.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (image.status !== 0) process.exit(image.status ?? 1);
writeFileSync(FINGERPRINT_FILE, `${fingerprint}\n`);
step('dist/ is built');

/**
 * DECISION: @nestjs/typeorm reads two classes that TypeORM 1 no longer has (common/typeorm-compat.js) through
 * `const require = createRequire(import.meta.url)`, which would load a second typeorm, 300 module files, from
 * node_modules beside the bundled one just to find them absent (with typeorm left external instead: about 5 MB more
 * idle RSS, BENCHMARKS.md).
 * That one line is left out of that one file, so its `require('typeorm')` is the bundle's. The build fails when the
 * line is not there exactly once (the file changed) or when the file is no longer bundled.
 */
function typeormOfTheBundle() {
  const file = /[\\/]node_modules[\\/]@nestjs[\\/]typeorm[\\/]dist[\\/]common[\\/]typeorm-compat\.js$/;
  const line = 'const require = createRequire(import.meta.url);\n';
  let applied = 0;
  return {
    name: 'typeorm-of-the-bundle',
    setup(builder) {
      builder.onLoad({ filter: file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (source.split(line).length !== 2) throw new Error(`${args.path}: expected the line "${line.trim()}" once`);
        applied++;
        return { contents: source.replace(line, ''), loader: 'js' };
      });
      builder.onEnd((result) => {
        if (result.errors.length === 0 && applied !== 1) {
          throw new Error(`@nestjs/typeorm's typeorm-compat.js was read ${applied} times, expected once`);
        }
      });
    },
  };
}

function step(text) {
  console.log(`build: ${text}`);
}

/**
 * One character beyond ASCII anywhere in a bundle makes V8 hold its whole source as a two-byte string, twice its size
 * in memory; esbuild escapes strings and names but leaves regular expression literals as written. The build fails,
 * showing where, rather than let that happen unseen: escape the character in our code, or make the package external.
 */
function assertAsciiBundles() {
  for (const name of [...Object.keys(PROGRAMS), ...Object.keys(WORKERS)]) {
    const source = readFileSync(join(BUNDLE, `${name}.js`), 'utf8');
    const at = source.search(/[\u0080-\uffff]/);
    if (at >= 0) throw new Error(`dist/bundle/${name}.js holds a character beyond ASCII: …${source.slice(at - 80, at + 20)}…`);
  }
}

function isUpToDate(expected) {
  const outputs = [
    FINGERPRINT_FILE,
    join(DIST, 'embedded-image', 'image.json'),
    ...Object.keys(WORKERS).map((name) => join(BUNDLE, `${name}.js`)),
    ...Object.keys(PROGRAMS).flatMap((name) => [join(DIST, `${name}.js`), join(BUNDLE, `${name}.js`)]),
  ];
  return outputs.every((file) => existsSync(file)) && readFileSync(FINGERPRINT_FILE, 'utf8').trim() === expected;
}

/** SHA-256 over the path and content of every input file, in a stable order. */
function fingerprintOf(inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesUnder).sort()) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function filesUnder(input) {
  const path = join(ROOT, input);
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  const entries = readdirSync(path, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
