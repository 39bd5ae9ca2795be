// A private anvil per test file: a free port from the OS, no fixed ports, killed by the caller.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

import { chainStatus } from "../../src/health.ts";

export function anvilBinary(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve("@foundry-rs/anvil-linux-amd64/package.json");
    return path.join(path.dirname(pkg), "bin", "anvil");
  } catch {
    return "anvil"; // another platform: expect Foundry on PATH
  }
}

/** anvil has no "--port 0": reserve a free port, release it and hand it over. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Anvil {
  rpcUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts anvil on 127.0.0.1 (its default accounts, chain 31337) and waits until it answers. */
export async function startAnvil(): Promise<Anvil> {
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  let stderr = "";
  const child = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(port), "--silent"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.once(
    "error",
    (error) => (stderr += `spawn failed: ${error.message} (is Foundry's anvil installed?)`),
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}: ${stderr}`);
    if ((await chainStatus(rpcUrl, { timeoutMs: 500 })).ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`anvil did not answer at ${rpcUrl} within 20 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    rpcUrl,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
