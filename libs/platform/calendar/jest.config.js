/** @type {import('jest').Config} */
module.exports = {
  displayName: 'platform-calendar',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
