/**
 * Renders the app icons (public/icons/*.svg) to the PNGs the web app manifest
 * and iOS ask for, in the same Chromium the browser tests use. Run it again
 * after changing an SVG and commit the PNGs: nothing renders them at build time.
 *
 * Usage: node --import tsx scripts/render-icons.ts   (CHROMIUM_PATH overrides /usr/bin/chromium)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const icons = path.resolve(import.meta.dirname, "../public/icons");

/** Each PNG: its source, its size, and whether its corners stay transparent (the rounded icon) or not. */
const outputs = [
  { file: "icon-192.png", source: "icon.svg", size: 192 },
  { file: "icon-512.png", source: "icon.svg", size: 512 },
  { file: "icon-maskable-192.png", source: "icon-maskable.svg", size: 192 },
  { file: "icon-maskable-512.png", source: "icon-maskable.svg", size: 512 },
  // iOS rounds the home-screen icon itself and puts black behind transparency: the full-bleed one.
  { file: "apple-touch-icon.png", source: "icon-maskable.svg", size: 180 },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { file, source, size } of outputs) {
    const svg = readFileSync(path.join(icons, source)).toString("base64");
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<body style="margin:0"><img src="data:image/svg+xml;base64,${svg}" width="${size}" height="${size}" style="display:block"></body>`);
    await page.locator("img").evaluate((image: HTMLImageElement) => image.decode());
    await page.screenshot({ path: path.join(icons, file), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    process.stdout.write(`${file} (${size}×${size})\n`);
  }
} finally {
  await browser.close();
}
