// The build (`npm run build`; `npm start` runs it with --if-stale):
//   1. `nest build`: TypeScript with the @nestjs/swagger plugin (nest-cli.json), into dist/compiled/;
//   2. each entry point (main, seed) bundled with its dependencies into one file, dist/bundle/<entry>.js, and the worker
//      threads' scripts (the price file reader, the embedded database) into dist/bundle/<worker>.js, loaded by their path;
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
/** Worker scripts, by bundle name: a module each, run in a worker thread as it is (not through launch.cjs). */
const WORKERS = {
  'source-reader': 'seed/source-reader.worker.js',
  'embedded-postgres.worker': 'database/embedded-postgres.worker.js',
};
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
 * files beside their own code (PGlite's WebAssembly, the OpenAPI UI's assets), and the
 * optional packages of Nest and class-transformer that this app does not install (only loaded on paths it does not take).
 */
const EXTERNAL = [
  'argon2',
  'swagger-ui-dist',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
  '@fastify/view',
  'class-transformer/storage',
];
/**
 * Loaded with import() where they are needed (the embedded database's worker, LOG_FORMAT=pretty, REDIS_URL, the first
 * price file read; piscina also finds its worker script beside its own code), and left
 * out of the bundles, whose source V8 holds whole: the bundle takes them with require() (a code-cached script has no
 * ESM loader).
 */
const LAZY_EXTERNAL = ['@electric-sql/pglite', 'pino-pretty', 'ioredis', 'piscina'];

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
const bundleOptions = {
  outdir: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // DECISION: whitespace, comments and syntax minified (10 MB of source becomes 6.2 MB, which V8 holds whole while the
  // process runs); names as written, and keepNames for what bundling renames (a class of one package whose name another
  // took, which happens inside typeorm): class names are the OpenAPI document's schema names, TypeORM's error names
  // (which DatabaseUnavailableFilter reads) and Nest's. Minified names would save another 2 MB, but then keepNames
  // would rename every function at run time, closures that requests create included: GET /api/auth/me took about 15%
  // more CPU. The linked source map gives the TypeScript line (node --enable-source-maps).
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: [...EXTERNAL, ...LAZY_EXTERNAL],
  plugins: [dependencySources(), lazyExternals(LAZY_EXTERNAL)],
};
await build({
  ...bundleOptions,
  entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry, join(COMPILED, `${entry}.js`)])),
  // What an ESM package reads from import.meta.url: the bundle's own location (node_modules resolve from there too).
  define: { 'import.meta.url': '__bundle_url' },
  // DECISION: the bundle is the module wrapper function itself, which dist/<entry>.js compiles as read: Node's
  // wrapping of a 10 MB source would copy it, and the copy would stay on the heap until a full collection. Strict as
  // esbuild's own first line would make it (its "use strict" is no directive once code comes before it).
  banner: {
    js: `// Not a program: dist/<entry>.js runs this function (scripts/launch.cjs).\n(function (exports, require, module, __filename, __dirname) {\n'use strict';\nvar __bundle_url = require('node:url').pathToFileURL(__filename).href;`,
  },
  footer: { js: '})' },
});
await build({
  ...bundleOptions,
  entryPoints: Object.fromEntries(Object.entries(WORKERS).map(([name, compiled]) => [name, join(COMPILED, compiled)])),
});
copyFileSync(join(ROOT, 'scripts/launch.cjs'), join(BUNDLE, 'launch.cjs'));
for (const entry of ENTRIES) {
  unwrapSelfNamedFunctions(join(BUNDLE, `${entry}.js`));
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

/**
 * keepNames names functions at run time with `__name(fn, "name")`, closures that requests create included (a
 * defineProperty each: ~6% of the CPU of GET /api/auth/me). Where the function is anonymous and stands where
 * JavaScript itself names it after the same key or variable (`key: () => …`, `const name = () => …`, `name = …`), as
 * names are not minified, the call is taken out and the function keeps its place, followed by spaces; so does the
 * name of a declared function given its own name. Same names, same length (so the source map holds), nothing done at
 * run time. The TypeScript parser finds those calls.
 */
function unwrapSelfNamedFunctions(bundle) {
  const ts = createRequire(import.meta.url)('typescript');
  const source = readFileSync(bundle, 'utf8');
  const file = ts.createSourceFile(bundle, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const anonymous = (node) =>
    ts.isArrowFunction(node) || ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name === undefined);
  const inferredName = (call) => {
    const parent = call.parent;
    if (
      ts.isPropertyAssignment(parent) &&
      parent.initializer === call &&
      (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))
    ) {
      return parent.name.text;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === call && ts.isIdentifier(parent.name)) return parent.name.text;
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === call &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(parent.left)
    ) {
      return parent.left.text;
    }
    return undefined;
  };
  const edits = [];
  const visit = (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === '__name' &&
      node.arguments.length === 2 &&
      anonymous(node.arguments[0]) &&
      ts.isStringLiteral(node.arguments[1]) &&
      node.arguments[1].text === inferredName(node)
    ) {
      edits.push({ start: node.getStart(file), end: node.end, from: node.arguments[0].getStart(file), to: node.arguments[0].end });
    } else if (
      // `__name(next, "next")` after `function next() {}` names the function what it is named already (a no-op, on
      // every call of the function around it): it becomes `next`, the value the call gave.
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === '__name' &&
      node.arguments.length === 2 &&
      ts.isIdentifier(node.arguments[0]) &&
      ts.isStringLiteral(node.arguments[1]) &&
      node.arguments[0].text === node.arguments[1].text
    ) {
      edits.push({ start: node.getStart(file), end: node.end, from: node.arguments[0].getStart(file), to: node.arguments[0].end });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Every edit keeps the length, so positions hold; inner calls (later starts) go first, so an outer one moves the
  // function as already edited. The bundle is ASCII (see dependencySources), one byte per character.
  const text = Buffer.from(source, 'latin1');
  if (text.length !== Buffer.byteLength(source)) throw new Error(`${relative(ROOT, bundle)} is not ASCII`);
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text.copy(text, edit.start, edit.from, edit.to);
    text.fill(' ', edit.start + (edit.to - edit.from), edit.end);
  }
  writeFileSync(bundle, text);
}

function isUpToDate(expected) {
  const outputs = [
    FINGERPRINT_FILE,
    join(BUNDLE, 'launch.cjs'),
    join(DIST, 'embedded-image', 'image.json'),
    ...Object.keys(WORKERS).map((name) => join(BUNDLE, `${name}.js`)),
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
