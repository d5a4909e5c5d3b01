/** Prometheus rules: generated SLO file up to date, `promtool check rules` and `promtool test rules`. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this file as CommonJS
const preset = require("../../jest.preset")(__dirname);

module.exports = { ...preset, displayName: "scripts/prometheus", testMatch: ["<rootDir>/**/*.test.ts"] };
