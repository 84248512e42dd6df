// Injected into every bundle by scripts/build.mjs: what `import.meta.url` reads there, the bundle's own file URL.
import { pathToFileURL } from 'node:url';

// eslint-disable-next-line no-undef -- the bundle is CommonJS: __filename is its own file.
export const import_meta_url = pathToFileURL(__filename).href;
