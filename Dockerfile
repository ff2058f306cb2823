# syntax=docker/dockerfile:1

# Node 26: the Active LTS line, the one package.json's `engines` and its `node`
# devDependency (what `npm start`, `npm test` and CI run on) name.

# The typed client (packages/client) is an npm workspace the gateway does not
# import; of it the gateway needs only the persisted-documents manifest, which
# `npm run build` copies into dist/. `--workspaces=false`: npm ci installs the
# gateway's dependencies from the lock and neither links nor builds the client
# (linked, its `prepare` would run tsc over sources that are not here).

# Build: compile TypeScript with the dev dependencies.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --workspaces=false
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY packages/client/src/generated/persisted-documents.json ./packages/client/src/generated/
RUN npm run build

# Run: production dependencies and the compiled code only, as a non-root user.
FROM node:26-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000 \
    GITBOOK_API_URL=https://api.gitbook.com/v1
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
