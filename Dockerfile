# zkArena web app + orchestrator for docker-compose (PostgreSQL and anvil run as their own services).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund && npx turbo run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 ZKARENA_SKIP_BUILD=1 ZKARENA_WEB_HOST=0.0.0.0
COPY --from=build /app /app
EXPOSE 3000
CMD ["node", "--import", "tsx", "scripts/start.ts"]
