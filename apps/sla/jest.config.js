/** @type {import('jest').Config} */
module.exports = {
  displayName: 'sla',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
