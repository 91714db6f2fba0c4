# One image for the API, the role workers, the orchestrator and the one-shot migration of the Docker
# stack (ops/compose.yml, profile `stack`); each service picks its entry point. TypeScript runs through
# tsx, as with `npm start`, so the image needs the dev dependencies.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first: a source change does not reinstall them.
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY schema/package.json schema/
COPY domain/package.json domain/
COPY server/package.json server/
COPY workers/package.json workers/
COPY ops/package.json ops/
COPY web/package.json web/
COPY testing/package.json testing/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund

COPY . .

# Set after `npm ci`, which would otherwise leave out tsx (a dev dependency).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    LOG_FORMAT=json

USER node
EXPOSE 8000 9102 5555 9103
CMD ["node", "--import", "tsx", "server/src/main.ts"]
