/** @type {import('jest').Config} */
module.exports = {
  displayName: 'platform-database',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
