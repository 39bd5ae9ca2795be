import { handleTrpcRequest } from "@zkarena/api";

// Adapter only: body limit, session cookie, rate-limit IP and errors live in @zkarena/api (http.ts).
const handler = (req: Request) => handleTrpcRequest(req, { endpoint: "/api/trpc" });

export { handler as GET, handler as POST };
