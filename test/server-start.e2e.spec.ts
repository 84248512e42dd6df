import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runBuilt, startServer, stopServer } from './support/processes';
import { TEST_JWT_SECRET } from './support/test-database';

describe('starting the built server', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'cs-start-'));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts on the embedded default in a fresh folder, migrates and answers /api/health', async () => {
    const dataDir = join(folder, 'nested', 'pglite');
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir }, folder);
    try {
      const response = await fetch(`${server.url}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        database: 'up',
        components: { database: { status: 'up' }, migrations: { status: 'up', pending: [] } },
      });

      const second = await runBuilt('main.js', [], { JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir, PORT: '0' }, folder);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/in use by another process/);
    } finally {
      server.child.kill('SIGTERM');
    }
    // The server drains, runs the shutdown hooks and exits cleanly.
    expect((await server.exit).code).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    // The lock went with the process: the folder opens again, already migrated.
    const again = await startServer({ JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir }, folder);
    expect((await stopServer(again)).stdout).not.toMatch(/Migration .* has been executed/);
  });

  it('refuses to start without JWT_SECRET and names it', async () => {
    const result = await runBuilt('main.js', [], { PGLITE_DIR: join(folder, 'unused') }, folder);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/JWT_SECRET is required/);
    expect(result.stderr).toMatch(/randomBytes/);
  });
});
