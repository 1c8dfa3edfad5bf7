# The service alone (Asterisk runs elsewhere: point ARI_URL at it). Build: docker build -t hotline .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATABASE_URL=sqlite:/data/hotline.sqlite RECORDINGS_DIR=/data/recordings
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY --from=build /app/web ./web
COPY package.json ./
VOLUME /data
EXPOSE 3000
USER node
CMD ["node", "dist/src/main.js"]
