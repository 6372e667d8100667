import { getDb } from "@/server/db/client";
import { checkDatabase } from "@/server/health/check-database";

export const dynamic = "force-dynamic";

/** 200 while the database answers, 503 otherwise; load balancers and `npm start` poll it. */
export async function GET() {
  const database = await checkDatabase(getDb());
  return Response.json(
    { status: database.ok ? "ok" : "unavailable", process: "web", database },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
