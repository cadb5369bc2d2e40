/** @type {import('jest').Config} */
module.exports = {
  displayName: 'release-testing',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
