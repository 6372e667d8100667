import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildWidget } from "@/scripts/build-widget";

// What a visitor's browser downloads before the chat bubble appears on a customer's site.
const gzipBudget = 50 * 1024;

const dir = mkdtempSync(path.join(tmpdir(), "support-chat-widget-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundle = await buildWidget(path.join(dir, "widget.js"));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
process.stdout.write(`widget.js: ${bundle.bytes} bytes, ${bundle.gzipBytes} bytes gzipped (level 9), budget ${gzipBudget}\n`);

describe("the website widget bundle", () => {
  it(`gzips to at most 50 KB (now ${kb(bundle.gzipBytes)} of ${kb(bundle.bytes)})`, () => {
    expect(bundle.gzipBytes).toBeGreaterThan(0);
    expect(bundle.gzipBytes).toBeLessThanOrEqual(gzipBudget);
  });

  it("makes no code from strings, so host pages with a strict CSP (no 'unsafe-eval') can run it", () => {
    expect(bundle.code).not.toMatch(/\beval\(/);
    expect(bundle.code).not.toMatch(/new Function\b/);
  });

  it("is one self-running script (an IIFE, nothing global but window.SupportChat) with no zod in it", () => {
    expect(bundle.code).toMatch(/^"use strict";\(\(\)=>\{/);
    expect(bundle.code).toContain("SupportChat");
    expect(bundle.code).not.toContain("ZodError");
  });
});
