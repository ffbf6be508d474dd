// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// d3-color (pulled in by @grafana/ui) ships only .mjs files, so the scaffold's
// transform must also cover them.
const [[, swcOptions]] = Object.values(base.transform);

module.exports = {
  ...base,
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', swcOptions],
    '^.+\\.mjs$': ['@swc/jest', swcOptions],
  },
};
