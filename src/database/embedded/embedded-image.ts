import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { MIGRATIONS } from '../../migrations';

/**
 * A migrated embedded database, ready to be copied into a new folder: creating one with initdb and migrating it
 * took most of a first start's seconds and memory.
 *
 * DECISION: the build makes the image (scripts/build.mjs runs scripts/build-embedded-image.mjs after the bundles,
 * and `npm start` builds first), rather than the first start making and caching it: the first start on a fresh
 * clone is the one a new user waits for, and the build already runs there. The image is generated into dist/,
 * never committed, and made again only when the compiled migrations or PGlite change. An image older than the
 * code holds fewer migrations; the start then applies the rest (`migrationsRun`), as on any older folder. One that
 * holds a migration this code does not know (built by a newer checkout) is not used.
 * DECISION: the image is a data folder closed cleanly, copied as files, not a PGlite `dumpDataDir` tarball loaded
 * with `loadDataDir`: PGlite writes a tarball through its WebAssembly file system (1.1 to 1.8 s for its 40 MB and
 * 1,100 files here, then crash recovery, as a dump is taken from a running server), where a native copy takes
 * about 0.1 s. It costs 40 MB of disk in dist/ (a 16 MB WAL segment of it).
 */
export interface EmbeddedImage {
  /** A data folder of a cleanly stopped server. */
  folder: string;
  /** The migrations applied in it, oldest first. */
  migrations: readonly string[];
}

/** The build's image: `dist/embedded-image/`, a data folder `pgdata/` and `image.json` (its key and migrations). */
export const IMAGE_FOLDER = 'embedded-image';
export const IMAGE_MANIFEST = 'image.json';

/**
 * The build's image, when there is one this code can start from.
 * DECISION: looked for beside the entry script that runs (dist/main.js, dist/seed.js; dist/compiled/main.js under
 * `nest start`, whose parent holds it), not beside this module: the same code runs bundled into one file, compiled
 * file by file and as ESM under Jest, and only the entry script's place is the same idea in all three.
 */
export function findEmbeddedImage(entryScript: string | undefined = process.argv[1]): EmbeddedImage | undefined {
  if (entryScript === undefined) return undefined;
  const entryFolder = dirname(resolve(entryScript));
  for (const dist of [entryFolder, dirname(entryFolder)]) {
    const image = readImage(join(dist, IMAGE_FOLDER));
    if (image) return image;
  }
  return undefined;
}

function readImage(folder: string): EmbeddedImage | undefined {
  let manifest: { migrations?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(folder, IMAGE_MANIFEST), 'utf8')) as { migrations?: unknown };
  } catch {
    return undefined;
  }
  const { migrations } = manifest;
  const data = join(folder, 'pgdata');
  if (!Array.isArray(migrations) || !existsSync(join(data, 'PG_VERSION'))) return undefined;
  const known = new Set<unknown>(MIGRATIONS.map((migration) => migration.name));
  // An image made by a newer checkout holds a migration this code does not know: not one to start from.
  return migrations.every((name) => typeof name === 'string' && known.has(name))
    ? { folder: data, migrations: migrations as string[] }
    : undefined;
}
