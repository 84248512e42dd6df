// The last step of `npm run build` (scripts/build.mjs): the migrated embedded database a new folder starts from
// (src/database/embedded/embedded-image.ts), written to dist/embedded-image/. Made again only when the compiled
// migrations, PGlite or the way it is made changed since the image there was made.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const compiled = join(root, 'dist', 'compiled');
const maker = join(compiled, 'database/embedded/make-embedded-image.js');
if (!existsSync(maker)) throw new Error('dist/compiled/ is not built: run `npm run build`');

const { IMAGE_FOLDER, IMAGE_MANIFEST } = require(join(compiled, 'database/embedded/embedded-image.js'));
const { makeEmbeddedImage } = require(maker);
const folder = join(root, 'dist', IMAGE_FOLDER);

const pglitePackage = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
// What the image is made of: PGlite, the migrations, and how it is made (this script, makeEmbeddedImage).
const hash = createHash('sha256')
  .update(`pglite ${JSON.parse(readFileSync(pglitePackage, 'utf8')).version}\n`)
  .update(readFileSync(import.meta.filename))
  .update(readFileSync(maker));
const migrationsFolder = join(compiled, 'migrations');
for (const name of readdirSync(migrationsFolder)
  .filter((file) => file.endsWith('.js'))
  .sort()) {
  hash.update(`${name}\n`).update(readFileSync(join(migrationsFolder, name)));
}
const key = hash.digest('hex');

const manifestFile = join(folder, IMAGE_MANIFEST);
if (existsSync(manifestFile) && JSON.parse(readFileSync(manifestFile, 'utf8')).key === key) {
  console.log(`embedded database image: up to date (${folder})`);
} else {
  console.log('embedded database image: creating a database and running the migrations (about 10 s)');
  const started = performance.now();
  // Made beside and renamed into place, so a start never sees half an image.
  const next = `${folder}.next`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  const migrations = await makeEmbeddedImage(join(next, 'pgdata'));
  writeFileSync(join(next, IMAGE_MANIFEST), `${JSON.stringify({ key, migrations }, null, 2)}\n`);
  rmSync(folder, { recursive: true, force: true });
  renameSync(next, folder);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`embedded database image: ${migrations.length} migrations, ${seconds} s (${folder})`);
}
