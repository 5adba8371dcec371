# syntax=docker/dockerfile:1
# Tessera image (API and web apps): `docker build -t tessera .`, then see docker-compose.yml.
# The same image runs the web server (default CMD), the worker and the management commands, which
# need the stack's settings (README, "Docker"):
#   docker compose exec web node dist/main.js cli migrate

ARG NODE_VERSION=24

# 1. Compile src/ to dist/ and build the web apps (web/ -> web/dist) with the full (dev) dependency set.
FROM node:${NODE_VERSION}-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
RUN node scripts/build.mjs && node scripts/build-web.mjs --force

# 2. Production dependencies only.
FROM node:${NODE_VERSION}-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# 3. Runtime: compiled code, migrations, data assets and production node_modules; nothing else.
FROM node:${NODE_VERSION}-trixie-slim AS runtime
# NODE_OPTIONS: a cap on V8's old generation. Under load V8 lets a process's heap grow far past what it
# keeps alive (about 50 MB): uncapped, a web process reached 300 MB RSS in `npm run bench --
# --production` (which runs with this), capped about 175 MB. Also capping the young generation
# (--max-semi-space-size=8 or 2) saved 25 to 45 MB more but cost my_bookings a quarter to a half of its
# rate in garbage collection. Raise it for a process that needs more.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=96 \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/app/data
WORKDIR /app
# Code stays owned by root (read-only to the app); only the data directory is writable.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The server serves the web apps from /app/web/dist (dist/app.js looks for ../web/dist).
COPY --from=build /app/web/dist ./web/dist
# dist/platform/db/migrate.js reads the migrations from ../../../drizzle, i.e. /app/drizzle.
COPY drizzle ./drizzle
# The password policy (dist/modules/accounts/password-policy.js) reads assets/common-passwords.txt at run time.
COPY assets ./assets
COPY package.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
# Slim images have no curl: ask Node itself. Liveness only; /health/ready/ also checks the database.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server applies pending migrations at start, under an advisory lock.
CMD ["node", "dist/main.js", "server"]
