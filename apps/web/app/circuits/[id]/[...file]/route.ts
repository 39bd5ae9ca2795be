// The circuit builds the in-browser prover fetches (<base>/<id>/artifact.json and the files it names).
// Only registered circuit ids and the files their artifact.json lists are served; the worker checks
// every hash itself (packages/zk artifacts.ts), so this route only has to be safe, not trusted.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CIRCUIT_REGISTRY } from "@zkarena/zk/core";
import { serverEnv } from "~/env";

export const dynamic = "force-dynamic";

function buildDir(): string {
  return (
    serverEnv().circuitsDir ??
    path.resolve(/*turbopackIgnore: true*/ process.cwd(), "..", "..", "circuits", "build")
  );
}

function notFound(message: string) {
  return new Response(message, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export async function GET(_req: Request, { params }: { params: Promise<{ id: string; file: string[] }> }) {
  const { id, file: segments } = await params;
  const file = segments.join("/");
  if (!CIRCUIT_REGISTRY.some((c) => c.id === id)) return notFound(`No registered circuit "${id}".`);
  const dir = path.join(buildDir(), id);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(
      await readFile(/*turbopackIgnore: true*/ path.join(dir, "artifact.json"), "utf8"),
    ) as Record<string, unknown>;
  } catch {
    return notFound(
      `The circuit ${id} is not built on this server: run \`npm run build -w @zkarena/circuits\` (or set ZKARENA_CIRCUITS_DIR).`,
    );
  }
  // What the browser loader fetches: the manifest, the zkey, the witness wasm, the verification key.
  const files = (manifest.files ?? {}) as Record<string, unknown>;
  const allowed = new Set(
    ["artifact.json", files.zkey, files.wasm, files.verificationKey].filter(
      (v): v is string => typeof v === "string",
    ),
  );
  if (!allowed.has(file) || file.includes("..") || file.startsWith("/"))
    return notFound(`${file} is not served for ${id}.`);
  const full = path.join(dir, file);
  try {
    const [bytes, info] = await Promise.all([
      readFile(/*turbopackIgnore: true*/ full),
      stat(/*turbopackIgnore: true*/ full),
    ]);
    const type = file.endsWith(".json")
      ? "application/json"
      : file.endsWith(".wasm")
        ? "application/wasm"
        : "application/octet-stream";
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": type,
        "content-length": String(info.size),
        // Files are content-checked by hash; a rebuild changes artifact.json, which is not cached long.
        "cache-control": file === "artifact.json" ? "no-cache" : "public, max-age=3600",
      },
    });
  } catch {
    return notFound(`${file} of ${id} is missing: rebuild the circuits.`);
  }
}
