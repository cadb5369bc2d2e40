/** @type {import('jest').Config} */
module.exports = {
  displayName: 'contracts-events',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
