// The house's import rules, checked by `npm run lint` (and test/house-rules.unit.spec.ts): the shared layers import
// no feature folder, migrations import only the database layer, the price load imports neither of its callers, and
// nothing imports in a circle.
const SHARED_LAYERS = '^src/(common|database|config|http|logging|material-keys|migrations)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'shared-layers-import-no-feature',
      comment: 'common/, database/, config/, http/, logging/ and material-keys/ serve the features and import none of them',
      severity: 'error',
      from: { path: SHARED_LAYERS },
      to: { path: '^src/', pathNot: SHARED_LAYERS },
    },
    {
      name: 'migrations-import-only-database',
      comment: 'a migration stays as it ran: it may use the database layer, never application code that changes',
      severity: 'error',
      from: { path: '^src/migrations/' },
      to: { path: '^src/', pathNot: '^src/(migrations|database)/' },
    },
    {
      name: 'price-imports-not-the-seeder',
      comment: 'an import runs the price load of price-loads/, never the seeder command',
      severity: 'error',
      from: { path: '^src/price-imports/' },
      to: { path: '^src/seed/' },
    },
    {
      name: 'price-loads-serve-their-callers',
      comment: 'the price load serves the seeder and the import API and imports neither',
      severity: 'error',
      from: { path: '^src/price-loads/' },
      to: { path: '^src/(seed|price-imports)/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
