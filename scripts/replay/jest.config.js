/**
 * The replay CLI's tests (scripts/ is not a workspace package): run them with
 * `pnpm exec jest -c scripts/replay/jest.config.js`, or list this file in the root jest.config.js.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this file as CommonJS
const preset = require("../../jest.preset")(__dirname);

module.exports = { ...preset, displayName: "scripts/replay", testMatch: ["<rootDir>/**/*.test.ts"] };
