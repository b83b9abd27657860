# syncmock as a container: docker build -t syncmock . && docker run -p 8080:8080 -v syncmock-data:/data syncmock

# Node 26, the Active LTS line since October 2026 (24 is in maintenance); bookworm, as CI's stand-in for it.
# Build: the TypeScript, then keep only the production dependencies. Nothing is compiled: better-sqlite3
# ships prebuilt Node-API binaries and no install script runs (package.json allowScripts).
FROM node:26-bookworm-slim AS build
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
FROM node:26-bookworm-slim
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
