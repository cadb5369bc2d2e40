/** @type {import('jest').Config} */
module.exports = {
  displayName: 'requests',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
