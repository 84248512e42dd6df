import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { runNode } from './support/processes';

const CRUISER = resolve('node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const RULES = resolve('.dependency-cruiser.cjs');

/** Runs the lint step's import rules on a tree of `files` (path → source), as `npm run lint` runs them on src/. */
async function cruise(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'cs-house-'));
  try {
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true } }));
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
    return await runNode(CRUISER, ['src', '--config', RULES, '--output-type', 'err'], {}, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("the house's import rules", () => {
  it('pass a tree whose features import the shared layers', async () => {
    const result = await cruise({
      'src/common/page.ts': 'export const PAGE = 50;\n',
      'src/quotes/quotes.service.ts': "import { PAGE } from '../common/page';\nexport const size = PAGE;\n",
    });
    expect(result.code).toBe(0);
  });

  it('fail on a shared layer importing a feature', async () => {
    const result = await cruise({
      'src/auth/user.ts': 'export interface User { id: number }\n',
      'src/common/current-user.ts': "import type { User } from '../auth/user';\nexport type Current = User;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/shared-layers-import-no-feature: src\/common\/current-user\.ts → src\/auth\/user\.ts/);
  });

  it('fail on a migration importing application code', async () => {
    const result = await cruise({
      'src/material-prices/supplier-name.ts': 'export const key = (name: string) => name;\n',
      'src/migrations/1-Suppliers.ts': "import { key } from '../material-prices/supplier-name';\nexport const k = key('a');\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/migrations-import-only-database/);
  });

  it('fail on the import API importing the seeder command', async () => {
    const result = await cruise({
      'src/seed/seed-options.ts': "export const FILE = 'mappings.json';\n",
      'src/price-imports/uploaded-files.ts': "import { FILE } from '../seed/seed-options';\nexport const name = FILE;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/price-imports-not-the-seeder/);
  });

  it('fail on the price load importing one of its callers', async () => {
    const result = await cruise({
      'src/price-imports/limits.ts': 'export const MAX = 10;\n',
      'src/price-loads/price-load.service.ts': "import { MAX } from '../price-imports/limits';\nexport const max = MAX;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/price-loads-serve-their-callers/);
  });

  it('fail on an import circle', async () => {
    const result = await cruise({
      'src/auth/a.ts': "import type { B } from './b';\nexport interface A { b: B }\n",
      'src/auth/b.ts': "import type { A } from './a';\nexport interface B { a: A }\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/no-circular/);
  });
});
