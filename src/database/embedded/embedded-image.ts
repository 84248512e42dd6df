import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { MIGRATIONS } from '../../migrations';

/** A migrated embedded database, copied into a new folder instead of running initdb and the migrations. */
export interface EmbeddedImage {
  folder: string;
  migrations: readonly string[];
}

/** `dist/embedded-image/`: a data folder `pgdata/` and `image.json` (its key and migrations). */
export const IMAGE_FOLDER = 'embedded-image';
export const IMAGE_MANIFEST = 'image.json';

/** Looked for beside the entry script, the one place that is the same bundled, compiled and under Jest. */
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
  return migrations.every((name) => typeof name === 'string' && known.has(name))
    ? { folder: data, migrations: migrations as string[] }
    : undefined;
}
