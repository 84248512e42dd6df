// Jest runs in ESM mode because the NestJS 12 packages are ESM-only.
// Three tiers, by file name: *.unit.spec.ts (no database, no app, no build: `npm run test:unit`, seconds),
// *.db.spec.ts (a real database, no HTTP app) and *.e2e.spec.ts (the app over HTTP, spawned processes).
const nestCli = require('./nest-cli.json');

// The @nestjs/swagger CLI plugin describes the fields of the DTO files from their types and JSDoc; the tests compile
// with it and with the options `nest build` reads from nest-cli.json, so they serve the document the build serves.
// DECISION (nest-cli.json holds no comments): classValidatorShim is off, since it would add the validators' bounds the
// document has never stated (a change of the API's description, to be made on purpose); controllerFileNameSuffix is
// empty, since every route declares its summary and answers itself and an inferred answer would hide a missing one.
const openApiPluginOptions = nestCli.compilerOptions.plugins.find((plugin) => plugin.name === '@nestjs/swagger').options;

const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // DECISION: every test file is compiled with a whole program (tsconfig.spec.json is not isolatedModules), because
    // the plugin reads types through the program, and ts-jest keeps one configuration per Jest project: a second
    // ts-jest entry for the DTO files alone would be compiled with this entry's options. It costs the unit tier a few
    // seconds. Type errors stay for `tsc` and `nest build` to report, as before (diagnostics off).
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: '<rootDir>/tsconfig.spec.json',
        diagnostics: false,
        astTransformers: { before: [{ path: '<rootDir>/test/support/openapi-plugin.cjs', options: openApiPluginOptions }] },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

module.exports = {
  testTimeout: 60000,
  projects: ['unit', 'db', 'e2e'].map((tier) => ({ ...shared, displayName: tier, testMatch: [`<rootDir>/test/**/*.${tier}.spec.ts`] })),
};
