import { spawnSync } from 'node:child_process';

import { describe } from '@jest/globals';

/** The machine's Redis (CI starts it); each test file keeps its keys under a prefix of its own. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Asked in a child process so the answer is there, synchronously, when the test file declares its suites.
const PING = `
const socket = require('node:net').connect(Number(process.argv[2]), process.argv[1], () => socket.write('PING\\r\\n'));
socket.setTimeout(1000, () => process.exit(1));
socket.on('error', () => process.exit(1));
socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));`;

function redisAnswers(): boolean {
  const { hostname, port } = new URL(REDIS_URL);
  return spawnSync(process.execPath, ['-e', PING, hostname, port || '6379'], { timeout: 5000 }).status === 0;
}

const redisUp = redisAnswers();
if (!redisUp && process.env.REQUIRE_REDIS === '1') {
  throw new Error(`REQUIRE_REDIS=1 but no Redis answers at ${REDIS_URL}: start one (redis-server) or unset REQUIRE_REDIS`);
}

/**
 * `describe` for tests that need a running Redis. Without one they are skipped with one loud line naming them, so
 * `npm test` works on a machine without Redis; CI sets REQUIRE_REDIS=1, which makes a missing Redis a failure.
 */
export function describeWithRedis(name: string, suite: () => void): void {
  if (redisUp) return describe(name, suite);
  console.warn(`SKIPPED, no Redis at ${REDIS_URL}: "${name}" (start redis-server to run it; CI requires it)`);
  describe.skip(name, suite);
}
