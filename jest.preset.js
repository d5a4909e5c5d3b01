/**
 * Shared jest settings: TypeScript through @swc/jest (CommonJS), workspace packages resolved
 * to their sources so tests never run against a stale dist/.
 */
const path = require("node:path");

module.exports = (packageDir) => ({
  displayName: path.relative(__dirname, packageDir),
  rootDir: packageDir,
  testEnvironment: "node",
  testMatch: ["<rootDir>/src/**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  moduleNameMapper: {
    "^@wh/([a-z-]+)$": path.join(__dirname, "packages/$1/src"),
  },
  testTimeout: 60_000,
});
