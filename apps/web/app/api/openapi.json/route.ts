import { handleOpenApiRequest } from "@zkarena/api";

// The OpenAPI 3.1 document of /api/v1, generated from the tRPC procedures' input schemas (@zkarena/api rest.ts).
export const GET = (req: Request) => handleOpenApiRequest(req);
