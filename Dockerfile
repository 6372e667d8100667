# syntax=docker/dockerfile:1
#
# One image for every Support Chat process; the command picks which one runs:
#   docker run … support-chat web | realtime | worker | migrate | admin <args>
#
# Why the image holds the production node_modules and not only Next's standalone tree:
# `output: "standalone"` traces what Next's pages and route handlers import, but the web
# process is a custom server (server/web/main.ts: probes and Telegram webhooks ahead of Next),
# and realtime, worker and the migration runner are separate TypeScript entry points run with
# tsx; none of that is traced (socket.io, graphile-worker, grammy, tsx, …). So the runtime
# takes Next's pruned server build from .next/standalone/.next (no build cache, no dev files),
# the static assets, the website widget's bundle (app/widget.js serves it), the TypeScript
# sources of server/ and lib/, and `npm ci --omit=dev`.
# Standalone's own node_modules and server.js are left out: they are a subset of the first and
# replaced by the custom server. deploy/verify-image-layout.ts assembles this stage's COPY lines
# outside Docker and starts every process from the result.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1

# Everything, to build. Install scripts stay off: the only one the build needs is the Prisma
# client's generation, run explicitly (the others fetch binaries a build does not use).
FROM base AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN NEXT_OUTPUT=standalone npm run build

# Production dependencies only. Left out: Next's SWC compiler (the web process reads the build's
# own configuration, so next.config.ts is never compiled at run time). The embedded PostgreSQL
# binaries stay although production always has DATABASE_URL: embedded-postgres resolves them
# when it is imported, which every process does.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@next/swc-*

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    REALTIME_PORT=3001 \
    WORKER_PORT=3002
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/.next/standalone/.next ./.next
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/widget/dist ./widget/dist
COPY --from=build /app/public ./public
COPY --from=build /app/server ./server
COPY --from=build /app/lib ./lib
COPY --from=build /app/config ./config
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/deploy/docker-entrypoint.sh ./deploy/docker-entrypoint.sh
# The code stays root-owned and read-only; the processes write only their data folder (.data,
# created at start even when every secret comes from the environment) and Next's cache.
RUN mkdir -p .data .next/cache && chown node:node .data .next/cache
USER node
EXPOSE 3000 3001 3002
ENTRYPOINT ["/app/deploy/docker-entrypoint.sh"]
CMD ["web"]
