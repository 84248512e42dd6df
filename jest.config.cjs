// Jest runs in ESM mode because the NestJS 12 packages are ESM-only.
// Three tiers, by file name: *.unit.spec.ts (no database, no app, no build: `npm run test:unit`, seconds),
// *.db.spec.ts (a real database, no HTTP app) and *.e2e.spec.ts (the app over HTTP, spawned processes).
const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // CommonJS dependencies that require() an ESM-only package (Node 20's require(esm) is not Jest's):
    // those ESM packages are compiled to CommonJS for the test run only.
    '^.+/node_modules/content-disposition/.+\\.js$': [
      'ts-jest',
      { useESM: false, tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node16', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

module.exports = {
  testTimeout: 60000,
  projects: ['unit', 'db', 'e2e'].map((tier) => ({ ...shared, displayName: tier, testMatch: [`<rootDir>/test/**/*.${tier}.spec.ts`] })),
};
