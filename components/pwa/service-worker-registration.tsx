"use client";

import { useEffect } from "react";

/**
 * Registers the service worker (public/sw.js: the offline page) where browsers
 * allow one — on https, and on localhost. Without it the console works as
 * before; it only loses its offline page.
 */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
    // updateViaCache "none": the browser asks for sw.js itself on every check, never its HTTP cache.
    navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch(() => undefined);
  }, []);
  return null;
}
