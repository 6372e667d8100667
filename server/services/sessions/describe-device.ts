import UAParser from "ua-parser-js";

export type Device = {
  /** "Firefox 128", or null when the user agent does not say. */
  browser: string | null;
  /** "macOS 14.5", "Android 14", or null. */
  os: string | null;
  /** What kind of device, as far as the user agent tells: a phone or tablet, or anything else. */
  kind: "mobile" | "tablet" | "other";
};

/** A session's device in words a person recognises, from the user agent it signed in with. */
export function describeDevice(userAgent: string | null): Device {
  if (!userAgent) return { browser: null, os: null, kind: "other" };
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const named = (name?: string, version?: string) => (name ? [name, version].filter(Boolean).join(" ") : null);
  return {
    browser: named(browser.name, browser.major),
    os: named(os.name, os.version),
    kind: device.type === "mobile" || device.type === "tablet" ? device.type : "other",
  };
}
