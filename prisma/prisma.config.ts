// Prisma CLI configuration (generate / validate / format). Migrations are applied by
// scripts/migrate.ts through Prisma's WebAssembly schema engine, which works offline.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "migrations" },
});
