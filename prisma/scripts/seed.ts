// npm run seed -w @zkarena/db — loads the demo data set into the configured database.
import { openDb } from "../src/index.ts";
import { seedDemo } from "../src/seed.ts";

const handle = await openDb();
try {
  const chainId = Number(process.argv[2] ?? 31337);
  const result = await seedDemo(handle.db, { chainId });
  console.log(
    `seeded ${result.accounts} accounts and challenges ${result.challenges.join(", ")} (${handle.location})`,
  );
} finally {
  await handle.close();
}
process.exit(0);
