module.exports = {
  ...require("../jest.preset")(__dirname),
  // App processes log to files under one folder per run; the teardown scans them for the
  // fixtures' emails and names. These two run outside jest's module mapping: @wh/testkit is its dist/.
  globalSetup: "<rootDir>/src/app-logs-setup.ts",
  globalTeardown: "<rootDir>/src/app-logs-teardown.ts",
};
