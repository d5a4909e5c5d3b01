/** One jest run over every workspace package: `jest` at the root is the whole suite. */
module.exports = {
  projects: ["<rootDir>/packages/*/jest.config.js", "<rootDir>/apps/*/jest.config.js", "<rootDir>/tests/jest.config.js", "<rootDir>/bench/jest.config.js", "<rootDir>/scripts/prometheus/jest.config.js"],
  // A global option: project configs cannot set it.
  testTimeout: 60_000,
};
