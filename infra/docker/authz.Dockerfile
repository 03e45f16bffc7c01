# syntax=docker/dockerfile:1.7
# authz, the data plane. Build from the repository root:
#   docker build -f infra/docker/authz.Dockerfile -t gatekeeper/authz .
# (authz.Dockerfile.dockerignore next to this file keeps node_modules, dist and .git out of the context.)

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true
RUN npm install -g pnpm@12.4.2
WORKDIR /src
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml turbo.json ./
COPY apps ./apps
COPY packages ./packages
RUN pnpm install --frozen-lockfile
RUN pnpm exec turbo run build --filter=@gatekeeper/authz
# A self-contained copy of the app with production dependencies only (pnpm 12 deploy needs no --legacy).
RUN pnpm --filter=@gatekeeper/authz deploy --prod /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    AUTHZ_HOST=0.0.0.0 \
    AUTHZ_PORT=7843
WORKDIR /app
COPY --from=build --chown=1000:1000 /out/package.json ./package.json
COPY --from=build --chown=1000:1000 /out/node_modules ./node_modules
COPY --from=build --chown=1000:1000 /out/dist ./dist
# The image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 7843
# Slim images have no curl: ask /health with node itself. 200 = a snapshot is loaded (even degraded).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.AUTHZ_PORT||7843)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
