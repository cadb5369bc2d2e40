/** @type {import('jest').Config} */
module.exports = {
  displayName: 'platform-service',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
