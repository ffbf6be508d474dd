// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// d3-color (pulled in by @grafana/ui) ships only .mjs files, so the scaffold's
// transform must also cover them.
const [[, swcOptions]] = Object.values(base.transform);

// ESM-only packages that @grafana/data 13 needs (@react-hookz/web and its
// @ver0/deep-equal) and the scaffold's list
// (create-plugin 7.1.7) does not name yet.
const moreESModules = ['@react-hookz/web', '@ver0/deep-equal'];

module.exports = {
  ...base,
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', swcOptions],
    '^.+\\.mjs$': ['@swc/jest', swcOptions],
  },
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, ...moreESModules])],
  // The tests are all in src/: without this, jest would crawl .cache/ too,
  // where the browser suite installs older Grafana lines' packages.
  roots: ['<rootDir>/src'],
};
