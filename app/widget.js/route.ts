import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { widgetBundleFile } from "@/widget/bundle-path";

export const dynamic = "force-dynamic";

// Not traced into the server build (the whole project would be): the Dockerfile copies widget/dist itself.
const file = path.join(/* turbopackIgnore: true */ process.cwd(), widgetBundleFile);
// In production the bundle changes only with a new build, which restarts the process: read once.
// In development `npm run build:widget` replaces it under a running server, seen by its mtime.
const followRebuilds = process.env.NODE_ENV !== "production";

type Bundle = { bytes: Uint8Array<ArrayBuffer>; etag: string; mtimeMs: number };
let cached: Bundle | null = null;

async function currentBundle(): Promise<Bundle | null> {
  if (cached && !followRebuilds) return cached;
  try {
    const { mtimeMs } = await stat(file);
    if (cached?.mtimeMs !== mtimeMs) {
      const bytes = new Uint8Array(await readFile(file));
      cached = { bytes, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`, mtimeMs };
    }
    return cached;
  } catch {
    return null;
  }
}

/**
 * GET /widget.js: the website widget, for `<script src>` on customers' sites.
 * So that other origins may load it: CORP cross-origin (the script is public
 * and holds nothing of anyone). Cached briefly so a new build reaches sites
 * within minutes; the ETag makes the revalidation cheap.
 */
export async function GET(request: Request): Promise<Response> {
  const bundle = await currentBundle();
  if (!bundle) {
    return new Response("The chat widget is not built on this server (npm run build:widget).\n", {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
    });
  }
  const headers = {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=300",
    "cross-origin-resource-policy": "cross-origin",
    "x-content-type-options": "nosniff",
    etag: bundle.etag,
  };
  if (request.headers.get("if-none-match") === bundle.etag) return new Response(null, { status: 304, headers });
  return new Response(bundle.bytes, { headers });
}
