// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // The page tests render whole pages in jsdom; on a busy 2-core machine one can take more than
  // jest's default 5 s without anything being wrong.
  testTimeout: 30000,
  transform: {
    ...base.transform,
    // @grafana/data 12.4 pulls d3 packages that ship only .mjs files
    '^.+\\.mjs$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' } } }],
  },
};
