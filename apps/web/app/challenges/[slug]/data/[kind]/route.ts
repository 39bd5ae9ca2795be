// Dataset downloads as files (the JSON document the API stores, with its sha256 in a header).
import { TRPCError } from "@trpc/server";
import { serverApi } from "~/trpc/server";

export const dynamic = "force-dynamic";

const kinds = { train: "TRAIN", public: "PUBLIC", hidden: "HIDDEN" } as const;

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string; kind: string }> }) {
  const { slug, kind } = await params;
  const k = kinds[kind as keyof typeof kinds];
  if (!k) return new Response("kind must be train, public or hidden", { status: 404 });
  try {
    const api = await serverApi();
    const challenge = await api.challenge.bySlug({ slug });
    const file = await api.dataset.download({ challengeId: challenge.id, kind: k });
    return new Response(file.content, {
      headers: {
        "content-type": `${file.mediaType}; charset=utf-8`,
        "content-disposition": `attachment; filename="${challenge.slug}-${file.fileName}"`,
        "x-content-sha256": file.sha256,
      },
    });
  } catch (error) {
    if (error instanceof TRPCError) {
      const status =
        error.code === "NOT_FOUND"
          ? 404
          : error.code === "FORBIDDEN"
            ? 403
            : error.code === "TOO_MANY_REQUESTS"
              ? 429
              : 400;
      return new Response(error.message, {
        status,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
}
