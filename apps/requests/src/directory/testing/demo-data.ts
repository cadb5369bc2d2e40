/**
 * The demo data set of tools/seed, for specs. Specs load it through the admin use cases, so
 * the suite proves the demo data obeys every directory rule. tools/ is not an Nx project;
 * this test-only module is the one place an app file reads it.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- data only (no code), see above
export { directoryData, knowledgeArticles } from '../../../../../tools/seed/directory-data';
