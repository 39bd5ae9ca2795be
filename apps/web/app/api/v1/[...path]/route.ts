import { handleRestRequest } from "@zkarena/api";

// Adapter only: REST over the tRPC procedures (routes, validation, auth, limits) lives in @zkarena/api
// (rest.ts); the document is at /api/openapi.json.
const handler = (req: Request) => handleRestRequest(req, { prefix: "/api/v1" });

export { handler as GET, handler as POST };
