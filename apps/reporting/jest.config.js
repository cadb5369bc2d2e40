/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reporting',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
