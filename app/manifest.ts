import type { MetadataRoute } from "next";

/**
 * The web app manifest (/manifest.webmanifest): what a phone or a desktop needs
 * to install the console as an app of its own. The icons are rendered from
 * public/icons/*.svg by scripts/render-icons.ts.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Support Chat",
    short_name: "Support Chat",
    description: "The open support desk: Telegram customers, live agent inbox, typed API.",
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    orientation: "any",
    theme_color: "#ffffff",
    background_color: "#ffffff",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-192.png", sizes: "192x192", type: "image/png", purpose: "maskable" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
      { src: "/icons/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    ],
  };
}
