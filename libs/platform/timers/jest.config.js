/** @type {import('jest').Config} */
module.exports = {
  displayName: 'platform-timers',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
