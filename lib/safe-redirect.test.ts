import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirectPath("/t/acme/inbox/7b0c5f3e-1111-4222-8333-944445555666")).toBe("/t/acme/inbox/7b0c5f3e-1111-4222-8333-944445555666");
    expect(safeRedirectPath("/t/acme/inbox?status=resolved#top")).toBe("/t/acme/inbox?status=resolved#top");
    expect(safeRedirectPath("/invite/abc?next=%2Ft%2Facme%2Finbox")).toBe("/invite/abc?next=%2Ft%2Facme%2Finbox");
    expect(safeRedirectPath("/")).toBe("/");
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%25255Cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "https://evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
    " /t/acme",
    "/%E0%A4%A",
    "/.//evil.example",
    "/a/..//evil.example",
    "/%2e%2e//evil.example",
    "/./%2F/evil.example",
    "/" + "a".repeat(3000),
  ])("refuses %j", (target) => {
    expect(safeRedirectPath(target, "/fallback")).toBe("/fallback");
  });

  it("refuses what is not a string", () => {
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath(["/t/acme"])).toBe("/");
  });
});

describe("next-auth's redirect callback", () => {
  it("sends the browser only to paths of this site", async () => {
    const { authOptions } = await import("@/server/auth/options");
    const redirect = authOptions().callbacks!.redirect!;
    const baseUrl = "https://support.example";
    expect(await redirect({ url: "/sign-in?notice=signedOut", baseUrl })).toBe("https://support.example/sign-in?notice=signedOut");
    expect(await redirect({ url: "https://support.example/t/acme/inbox", baseUrl })).toBe("https://support.example/t/acme/inbox");
    for (const url of ["https://evil.example/", "/\\evil.example", "//evil.example", "https://support.example.evil.example/x", "javascript:alert(1)"]) {
      expect(await redirect({ url, baseUrl })).toBe("https://support.example/");
    }
  });
});
