// Jest runs in ESM mode because the NestJS 12 packages are ESM-only.
// Three tiers, by file name: *.unit.spec.ts (no database, no app, no build: `npm run test:unit`, seconds),
// *.db.spec.ts (a real database, no HTTP app) and *.e2e.spec.ts (the app over HTTP, spawned processes).
// A fourth project, `embedded` (`npm run test:embedded`), runs again on the embedded database what behaves
// differently there.

// DECISION: each file is compiled on its own by SWC (no type program, no type errors: `npm run typecheck` reports
// those). The @nestjs/swagger CLI plugin, which needs the type program, runs only in `nest build`: the OpenAPI
// document is asserted on the built server (test/openapi-document.e2e.spec.ts), and no test reads the fields the
// plugin describes from an app compiled here.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  sourceMaps: 'inline',
};

// DECISION: the embedded database runs the same SQL through the same driver and services as a PostgreSQL server;
// what is its own is the wire server (one session, whole protocol units one at a time, a transaction holding every
// other connection, notifications, a client gone in the middle of a transaction) and the migrations on PGlite. So the
// second run takes the db tier and the e2e files that exercise those: concurrency, notifications, the database cut,
// dropped or stalled, a seeder killed mid-transaction, load slots holding the pool. Files that start an embedded
// database of their own (embedded-image, server-start, embedded-database-thread, faults.server-process) test it in
// every run, so they are not run again.
const ALSO_ON_EMBEDDED = [
  'faults.concurrent-registration',
  'faults.database-cut',
  'faults.database-drop',
  'faults.database-stall',
  'faults.seeder-kill',
  'guard-cache',
  'guard-cache.two-instances',
  'price-load-slots',
  'quote-lifecycle',
].map((name) => `<rootDir>/test/${name}.e2e.spec.ts`);

const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

// A test that holds a transaction open while the app waits behind it needs a server: the embedded database runs one
// transaction at a time. Without DATABASE_URL it is left out; CI always sets DATABASE_URL.
const SERVER_ONLY = ['idempotency-wait'];
const serverOnlyLeftOut = process.env.DATABASE_URL ? [] : SERVER_ONLY.map((name) => `/test/${name}\\.`);

const tier = (name) => ({
  ...shared,
  displayName: name,
  testMatch: [`<rootDir>/test/**/*.${name}.spec.ts`],
  testPathIgnorePatterns: ['/node_modules/', ...serverOnlyLeftOut],
});

module.exports = {
  testTimeout: 60000,
  projects: [
    tier('unit'),
    tier('db'),
    tier('e2e'),
    {
      ...shared,
      displayName: 'embedded',
      testMatch: ['<rootDir>/test/**/*.db.spec.ts', ...ALSO_ON_EMBEDDED],
      testPathIgnorePatterns: ['/test/embedded-image\\.db\\.spec\\.ts$', '/test/quote-list-plan\\.db\\.spec\\.ts$'],
      // Whatever DATABASE_URL the shell holds, each file of this project makes its database in memory.
      setupFiles: ['<rootDir>/test/support/embedded-database.cjs'],
    },
  ],
};
