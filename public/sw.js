/*
 * Support Chat's service worker, served from /sw.js so that its scope is the whole site.
 *
 * It keeps one thing offline: a static page (/offline.html, with its stylesheet
 * and icons) shown when a page cannot be loaded. Nothing else is cached or
 * answered from a cache — no API, tRPC, auth, file or page response, nothing
 * that carries a cookie or a customer's data: every other request goes to the
 * network as if there were no worker. Plain JavaScript with no build step; each concern in its own section.
 */

// ---- offline shell ------------------------------------------------------------------------

/** Bump the version when a file of the shell changes: the new worker fills a new cache and drops the old. */
const OFFLINE_CACHE = "support-chat-offline-v1";
const OFFLINE_PAGE = "/offline.html";
const OFFLINE_SHELL = [OFFLINE_PAGE, "/offline.css", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png"];

self.addEventListener("install", (event) => {
  // `reload`: the shell from the server, not from the HTTP cache.
  event.waitUntil(
    caches
      .open(OFFLINE_CACHE)
      .then((cache) => cache.addAll(OFFLINE_SHELL.map((url) => new Request(url, { cache: "reload", credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith("support-chat-offline-") && name !== OFFLINE_CACHE).map((name) => caches.delete(name)));
      // A navigation starts its request while the worker wakes up, instead of after.
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

/** Page loads (GET navigations) only: the network's answer, or the offline page when there is no network. */
async function pageOrOffline(event) {
  try {
    const preloaded = await event.preloadResponse;
    if (preloaded) return preloaded;
    return await fetch(event.request);
  } catch (error) {
    const offline = await caches.match(OFFLINE_PAGE, { cacheName: OFFLINE_CACHE });
    if (offline) return offline;
    throw error;
  }
}

/** The offline page's own stylesheet and icons, which it needs while there is no network: from the cache. */
function isShellAsset(request) {
  const url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin && url.pathname !== OFFLINE_PAGE && OFFLINE_SHELL.includes(url.pathname) && !url.search;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.mode === "navigate" && request.method === "GET") event.respondWith(pageOrOffline(event));
  else if (isShellAsset(request)) event.respondWith(caches.match(request.url, { cacheName: OFFLINE_CACHE }).then((cached) => cached ?? fetch(request)));
  // Anything else is not answered here: the browser fetches it as if there were no worker.
});

// ---- push notifications --------------------------------------------------------------------
// The server sends { title, body, url, tag, notificationId } (server/services/notifications/send-push.ts),
// encrypted for this browser; the body holds a message's text only when the person allowed previews.

self.addEventListener("push", (event) => {
  let push;
  try {
    push = event.data ? event.data.json() : null;
  } catch {
    push = null;
  }
  if (!push || typeof push.title !== "string") return;
  event.waitUntil(
    self.registration.showNotification(push.title, {
      body: typeof push.body === "string" ? push.body : "",
      // One notification per conversation on the device: a newer push replaces the older one.
      tag: typeof push.tag === "string" ? push.tag : undefined,
      renotify: true,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      data: { url: typeof push.url === "string" && push.url.startsWith("/") && !push.url.startsWith("//") ? push.url : "/" },
    }),
  );
});

/** A click opens the conversation: in a tab of the app that is already open when there is one, else in a new one. */
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        return open.navigate(url);
      }
      return self.clients.openWindow(url);
    })(),
  );
});
