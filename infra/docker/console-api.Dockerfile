# syntax=docker/dockerfile:1.7
# console-api, the control plane, plus the gatekeeper CLI and the SQL migrations for the migration job
# (`node cli/dist/main.js db migrate`). Build from the repository root:
#   docker build -f infra/docker/console-api.Dockerfile -t gatekeeper/console-api .

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true
RUN npm install -g pnpm@12.4.2
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml turbo.json ./
COPY apps ./apps
COPY packages ./packages
RUN pnpm install --frozen-lockfile
RUN pnpm exec turbo run build --filter=@gatekeeper/console-api --filter=@gatekeeper/cli
RUN pnpm --filter=@gatekeeper/console-api deploy --prod /out/console-api \
 && pnpm --filter=@gatekeeper/cli deploy --prod /out/cli

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CONSOLE_API_HOST=0.0.0.0 \
    CONSOLE_API_PORT=7844
WORKDIR /app
COPY --from=build --chown=1000:1000 /out/console-api/package.json ./package.json
COPY --from=build --chown=1000:1000 /out/console-api/node_modules ./node_modules
COPY --from=build --chown=1000:1000 /out/console-api/dist ./dist
# The CLI's bundle carries the migrations next to it (cli/dist/drizzle, copied by its tsup build).
COPY --from=build --chown=1000:1000 /out/cli/package.json ./cli/package.json
COPY --from=build --chown=1000:1000 /out/cli/node_modules ./cli/node_modules
COPY --from=build --chown=1000:1000 /out/cli/dist ./cli/dist
USER 1000:1000
EXPOSE 7844
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.CONSOLE_API_PORT||7844)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
