/**
 * The bench measures the services as they are deployed: the Dockerfile and docker-compose.yml
 * run every process with NODE_ENV=production (`npm start`, the local developer run, keeps
 * development: introspection, the landing page, the development token secret). Libraries read
 * NODE_ENV once, when they load (graphql-js then skips its development-mode `instanceOf` check on
 * every type test, ~2-3 % of a subgraph's CPU on the queue page; express), so the bench's entry
 * points import this module before anything else; the processes they start inherit it, and the
 * services' own config gets NODE_ENV=production too (bench-stack.ts, processes.ts).
 */
process.env.NODE_ENV = 'production';

export const BENCH_NODE_ENV = 'production';
