/**
 * Builds the website widget (widget/src/main.ts) into one minified IIFE for
 * `<script src=".../widget.js" async>`. ES2019 syntax, because the widget runs
 * on visitors' browsers, whatever the host site supports.
 *
 * Usage: node --import tsx scripts/build-widget.ts   (npm run build:widget; npm run build runs it first)
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { widgetBundleFile } from "@/widget/bundle-path";

const root = path.resolve(import.meta.dirname, "..");

export type WidgetBundleFigures = { bytes: number; gzipBytes: number };

/** The bundle's size as it leaves a server that compresses hard (gzip level 9). */
export function measureWidgetBundle(contents: Uint8Array): WidgetBundleFigures {
  return { bytes: contents.length, gzipBytes: gzipSync(contents, { level: 9 }).length };
}

export async function buildWidget(outFile = path.join(root, widgetBundleFile)): Promise<WidgetBundleFigures & { outFile: string; code: string }> {
  const result = await build({
    entryPoints: [path.join(root, "widget/src/main.ts")],
    tsconfig: path.join(root, "tsconfig.json"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2019",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const contents = result.outputFiles[0]!.contents;
  // Written next to its place and renamed, so the web process never serves half a file.
  mkdirSync(path.dirname(outFile), { recursive: true });
  const partial = `${outFile}.${process.pid}.tmp`;
  writeFileSync(partial, contents);
  renameSync(partial, outFile);
  return { outFile, code: Buffer.from(contents).toString("utf8"), ...measureWidgetBundle(contents) };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const bundle = await buildWidget();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`widget: ${path.relative(root, bundle.outFile)}, ${kb(bundle.bytes)}, ${kb(bundle.gzipBytes)} gzipped`);
}
