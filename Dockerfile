# The service alone (Asterisk runs elsewhere: point ARI_URL at it). Build: docker build -t hotline .
# compose.yaml runs two of it (leader + standby) with PostgreSQL, Redis and docker/asterisk.Dockerfile.
# Where no registry is reachable, build the bases locally (scripts/docker-base.sh) and pass them:
#   docker build --network host --build-arg NODE_BASE=hotline/node:20-bookworm \
#     --build-arg NODE_BUILD_BASE=hotline/node:20-bookworm-build -t hotline .
# NODE_BUILD_BASE (default: NODE_BASE) is the build stage's: the public image fetches sqlite3's
# prebuilt binary, the local one compiles it (python3, make, g++).
ARG NODE_BASE=node:20-bookworm-slim
ARG NODE_BUILD_BASE=${NODE_BASE}

FROM ${NODE_BUILD_BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# (npm 10 can exit 0 after a failed fetch, "Exit handler never called": check the result)
RUN npm ci --ignore-scripts && test -x node_modules/.bin/tsc
RUN npm rebuild sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${NODE_BASE}
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATABASE_URL=sqlite:/data/hotline.sqlite RECORDINGS_DIR=/data/recordings
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
# /data belongs to the user the service runs as (a fresh named volume copies this ownership).
RUN mkdir -p /data/recordings && chown -R node:node /data
VOLUME /data
EXPOSE 3000
USER node
# /readyz without curl in the image: the process's own fetch.
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
