// The @nestjs/swagger CLI plugin in the shape ts-jest loads AST transformers, so the tests compile the DTOs as
// `nest build` does. Its options come from jest.config.cjs, which reads them from nest-cli.json.
const { before } = require('@nestjs/swagger/plugin');
const { version } = require('@nestjs/swagger/package.json');

module.exports = {
  name: 'nestjs-swagger-plugin',
  // Part of ts-jest's cache key: a new @nestjs/swagger recompiles the DTOs.
  version,
  // DECISION: the plugin gets the program of the emit in progress (ts-jest asks for the transformers on every emit);
  // ts-jest's public `program` is the one its language service started with, which a watch run leaves behind.
  factory: (compiler, options) => before(options, compiler._languageService?.getProgram() ?? compiler.program),
};
