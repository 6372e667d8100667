import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { demoSitePage } from "./page";

export type DemoSite = { url: string; close: () => Promise<void> };

/**
 * Serves the sample shop page (and nothing else) on `host:port`: `npm start`
 * runs it beside the Telegram emulator, on a port of its own so the widget
 * runs on another origin than the product, as on a real customer's site.
 */
export async function startDemoSite(options: { snippet: string; port: number; host?: string }): Promise<DemoSite> {
  const host = options.host ?? "127.0.0.1";
  const page = demoSitePage(options.snippet);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://demo.invalid").pathname;
    if (path !== "/" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(req.method === "HEAD" ? undefined : page);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
