// The build (`npm run build`; `npm start` runs it with --if-stale):
//   1. `nest build`: TypeScript with the @nestjs/swagger plugin (nest-cli.json), into dist/compiled/;
//   2. each entry point (main, seed) bundled with its dependencies into one file, dist/bundle/<entry>.js;
//   3. dist/<entry>.js, which runs that bundle through a V8 code cache (scripts/launch.cjs);
//   4. the migrated embedded database image, dist/embedded-image/ (scripts/build-embedded-image.mjs).
// With --if-stale it does nothing when dist/ was built from the same sources, configuration and lock file.
//
// DECISION: the built server is one bundle because loading ~5,000 module files (Node 20's resolution of each, and the
// ESM-only NestJS packages through require(esm)) was most of the cold start. esbuild bundles the JavaScript that
// `nest build` emitted, so decorator metadata and the OpenAPI plugin's output are tsc's, unchanged; it does not
// compile TypeScript here. `nest start` (start:dev, the seeder through the CLI) runs dist/compiled/ unbundled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const COMPILED = join(DIST, 'compiled');
const BUNDLE = join(DIST, 'bundle');
const ENTRIES = ['main', 'seed'];
const FINGERPRINT_FILE = join(DIST, '.build-fingerprint');
/** What the build reads besides node_modules, which package-lock.json stands for. */
const INPUTS = [
  'src',
  'scripts/build.mjs',
  'scripts/launch.cjs',
  'scripts/build-embedded-image.mjs',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

/**
 * Left out of the bundles and loaded from node_modules at run time: a native addon (argon2), packages that find
 * files beside their own code (PGlite's WebAssembly, the OpenAPI UI's assets), and the optional packages of Nest and
 * class-transformer that this app does not install (only loaded on paths it does not take).
 */
const EXTERNAL = [
  'argon2',
  '@electric-sql/pglite',
  'swagger-ui-dist',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
  '@fastify/view',
  'class-transformer/storage',
];
/** Loaded on demand with import(); the bundle takes them with require() (a code-cached script has no ESM loader). */
const LAZY_EXTERNAL = ['@electric-sql/pglite'];

const ifStale = process.argv.includes('--if-stale');
const fingerprint = fingerprintOf(INPUTS);
if (ifStale && isUpToDate(fingerprint)) {
  console.log('dist/ is up to date (built from these sources)');
  process.exit(0);
}

rmSync(FINGERPRINT_FILE, { force: true });
const nest = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('@nestjs/cli/bin/nest.js'), 'build'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (nest.status !== 0) process.exit(nest.status ?? 1);

rmSync(BUNDLE, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry, join(COMPILED, `${entry}.js`)])),
  outdir: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // DECISION: minified (10 MB of source becomes 4.4 MB, which V8 holds whole while the process runs: about 5 MB less
  // resident memory), but with every function and class keeping its name: class names are the OpenAPI document's schema
  // names and TypeORM's and Nest's, and a stack trace still reads by function and class. The linked source map gives
  // the TypeScript line (node --enable-source-maps). No property is renamed.
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: EXTERNAL,
  // What an ESM package reads from import.meta.url: the bundle's own location (node_modules resolve from there too).
  define: { 'import.meta.url': '__bundle_url' },
  // DECISION: the bundle is the module wrapper function itself, which dist/<entry>.js compiles as read: Node's
  // wrapping of a 10 MB source would copy it, and the copy would stay on the heap until a full collection.
  banner: {
    js: `// Not a program: dist/<entry>.js runs this function (scripts/launch.cjs).\n(function (exports, require, module, __filename, __dirname) {\nvar __bundle_url = require('node:url').pathToFileURL(__filename).href;`,
  },
  footer: { js: '})' },
  plugins: [dependencySources(), lazyExternals(LAZY_EXTERNAL)],
});
copyFileSync(join(ROOT, 'scripts/launch.cjs'), join(BUNDLE, 'launch.cjs'));
for (const entry of ENTRIES) {
  const hash = createHash('sha256')
    .update(readFileSync(join(BUNDLE, `${entry}.js`)))
    .digest('hex')
    .slice(0, 16);
  writeFileSync(
    join(DIST, `${entry}.js`),
    `// Written by scripts/build.mjs: runs bundle/${entry}.js through its code cache.\n` +
      `require('./bundle/launch.cjs')(__filename, '${entry}', '${hash}');\n`,
  );
}
const image = spawnSync(process.execPath, [join(ROOT, 'scripts/build-embedded-image.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (image.status !== 0) process.exit(image.status ?? 1);
writeFileSync(FINGERPRINT_FILE, `${fingerprint}\n`);

function isUpToDate(expected) {
  const outputs = [
    FINGERPRINT_FILE,
    join(BUNDLE, 'launch.cjs'),
    join(DIST, 'embedded-image', 'image.json'),
    ...ENTRIES.flatMap((entry) => [join(DIST, `${entry}.js`), join(BUNDLE, `${entry}.js`)]),
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

/**
 * Two rewrites of dependency sources as esbuild reads them:
 * - A few NestJS ESM files load packages through `createRequire(import.meta.url)` (@nestjs/mapped-types and
 *   @nestjs/typeorm, lazily on purpose), which esbuild does not follow (evanw/esbuild#1828): the bundle would load a
 *   second copy of typeorm or class-transformer from node_modules beside the bundled one. Their `require` becomes the
 *   bundle's, so esbuild bundles what they load.
 * - esbuild writes strings, templates and names in ASCII but leaves regular expression literals as they are, and a few
 *   dependencies (validator's alphabets) spell letters there: one such character makes V8 hold the whole bundle's
 *   source as a two-byte string, twice its size in memory. Those characters become \uXXXX escapes, which a pattern
 *   reads as the same character (a surrogate pair as one code point under the u flag); the TypeScript parser finds
 *   the literals.
 */
function dependencySources() {
  const ts = createRequire(import.meta.url)('typescript');
  const nonAscii = /[\u0080-\uffff]/;
  const nestFile = /[\\/]node_modules[\\/]@nestjs[\\/]/;

  const requireOfBundle = (source) =>
    source.replace(/^const require = createRequire\(import\.meta\.url\);$/m, '').replaceAll('createRequire(import.meta.url)', 'require');

  const asciiRegularExpressions = (path, source) => {
    const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const literals = [];
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral && nonAscii.test(node.text)) literals.push(node);
      ts.forEachChild(node, visit);
    };
    visit(file);
    let contents = '';
    let at = 0;
    for (const literal of literals) {
      contents += source.slice(at, literal.getStart(file)) + escapeNonAscii(literal.text);
      at = literal.end;
    }
    return contents + source.slice(at);
  };

  return {
    name: 'dependency-sources',
    setup(builder) {
      builder.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        let contents = source;
        if (nestFile.test(args.path) && contents.includes('createRequire(import.meta.url)')) contents = requireOfBundle(contents);
        if (nonAscii.test(contents)) contents = asciiRegularExpressions(args.path, contents);
        return contents === source ? undefined : { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Each non-ASCII UTF-16 unit as \uXXXX; one escaped by a backslash (an identity escape) loses that backslash. */
function escapeNonAscii(pattern) {
  return pattern.replace(/(\\*)([\u0080-\uffff])/g, (_match, backslashes, unit) => {
    const kept = backslashes.length % 2 === 1 ? backslashes.slice(1) : backslashes;
    return `${kept}\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `import('pkg')` of an external package becomes a require() of it, still only when that code runs. */
function lazyExternals(packages) {
  const filter = new RegExp(`^(${packages.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-externals',
    setup(builder) {
      builder.onResolve({ filter }, (args) =>
        args.kind === 'dynamic-import' ? { path: args.path, namespace: 'lazy-external' } : { path: args.path, external: true },
      );
      builder.onLoad({ filter: /.*/, namespace: 'lazy-external' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}
