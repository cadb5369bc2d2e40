/** @type {import('jest').Config} */
module.exports = {
  displayName: 'escalations',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
