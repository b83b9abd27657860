# syncmock as a container: docker build -t syncmock . && docker run -p 8080:8080 -v syncmock-data:/data syncmock

# Build: compile better-sqlite3 and the TypeScript, then keep only the production dependencies.
FROM node:20-bookworm-slim AS build
# better-sqlite3 is compiled here rather than downloaded prebuilt (a download that may not be reachable);
# the Node headers that ship in the image are used instead of fetching them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY schemas ./schemas
COPY src ./src
# The build derives TypeScript types from schemas/ (scripts/schema-types.mjs), then compiles.
RUN npm run build && npm prune --omit=dev

# Runtime: the compiled server, production node_modules, schemas, the dashboard's files and the default seed;
# nothing else.
FROM node:20-bookworm-slim
# Every interface, so `docker run -p 8080:8080` reaches it; from the host that is localhost or 127.0.0.1,
# which the Host check of /__admin and the docs allows. Other containers reach it by a name that has to be
# listed in SYNCMOCK_ALLOWED_HOSTS (a compose service name, say). Set SYNCMOCK_ADMIN_TOKEN where others can
# reach the port: without it syncmock warns at start.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 SYNCMOCK_DB=/data/syncmock.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY ui ./ui
COPY data/seed.json ./data/seed.json
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
# No curl in the image: node asks the health endpoint itself.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/__admin/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1's command (no npm, no shell), so `docker stop`'s SIGTERM reaches syncmock.
CMD ["node", "dist/src/cli.js"]
