/**
 * The peer gateway of `npm run bench`: Hive Gateway serving the same supergraph as the Apollo
 * gateway, with the same contract towards the subgraphs. Started by tools/bench.ts as
 * `tsx bench/hive-gateway/server.ts` (cwd = repo root, so the @servicecenter path aliases
 * resolve and '@graphql-hive/gateway' comes from this package's own node_modules).
 *
 * Environment: HIVE_SUPERGRAPH (file whose @join__graph urls point at the running subgraphs),
 * HIVE_PORT, JWT_SECRET (defaults to the development secret), SUBGRAPH_SHARED_SECRET.
 *
 * Auth, as apps/gateway does it: the bearer token is verified once per client request (same
 * verifier, same issuer/audience), and every subgraph call carries `x-caller` (base64url JSON
 * of the caller), `x-caller-signature` (HMAC when a shared secret is set) and `x-request-id`.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import {
  ANONYMOUS,
  CALLER_HEADER,
  CALLER_SIGNATURE_HEADER,
  DEFAULT_AUDIENCE,
  DEV_ISSUER,
  DEV_JWT_SECRET,
  createJwtVerifier,
  encodeCaller,
  signCaller,
  type Caller,
} from '@servicecenter/platform-auth';

const supergraph = process.env.HIVE_SUPERGRAPH;
if (!supergraph) throw new Error('HIVE_SUPERGRAPH is not set');
const port = Number(process.env.HIVE_PORT ?? 4100);
const sharedSecret = process.env.SUBGRAPH_SHARED_SECRET || undefined;
const verify = createJwtVerifier({
  secret: process.env.JWT_SECRET || DEV_JWT_SECRET,
  issuer: DEV_ISSUER,
  audience: DEFAULT_AUDIENCE,
});

interface Forwarded {
  headers: Record<string, string>;
}
// One verification per client request, however many subgraph calls its plan makes.
const perRequest = new WeakMap<Request, Promise<Forwarded>>();

async function forwardedFor(request: Request): Promise<Forwarded> {
  const authorization = request.headers.get('authorization');
  let caller: Caller = ANONYMOUS;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (!match) throw new Error('Invalid bearer token: expected "Authorization: Bearer <token>"');
    caller = await verify(match[1]);
  }
  const encoded = encodeCaller(caller);
  const headers: Record<string, string> = {
    [CALLER_HEADER]: encoded,
    'x-request-id': request.headers.get('x-request-id') ?? randomUUID(),
  };
  if (sharedSecret) headers[CALLER_SIGNATURE_HEADER] = signCaller(encoded, sharedSecret);
  return { headers };
}

const gateway = createGatewayRuntime({
  supergraph,
  logging: 'error',
  landingPage: false,
  graphqlEndpoint: '/graphql',
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request }) => {
      let forwarded = perRequest.get(request);
      if (!forwarded) {
        forwarded = forwardedFor(request);
        perRequest.set(request, forwarded);
      }
      return (await forwarded).headers;
    },
  },
});

const server = createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  // tools/bench.ts waits for this line.
  console.log(`hive gateway ready at http://127.0.0.1:${port}/graphql`);
});

const stop = () => {
  server.close();
  void gateway.dispose().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
