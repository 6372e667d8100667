import type { HostEventName } from "./host-events";
import type { Widget } from "./widget";

/** `window.SupportChat`, as a host page sees it once the script ran. */
type SupportChatApi = {
  setUser: Widget["setUser"];
  reset: () => void;
  setLocale: (locale: "en" | "ru") => void;
  setTheme: Widget["setTheme"];
  open: () => void;
  close: () => void;
  on: Widget["on"];
};

/** What a host page may have left before the script ran: `{ q: [[method, ...args], …] }` (see widget/README.md). */
type Stub = { q?: unknown };

declare global {
  interface Window {
    SupportChat?: SupportChatApi | Stub;
  }
}

const eventNames: HostEventName[] = ["message", "open", "close"];

/** Puts the API on `window.SupportChat` and carries out the calls queued before, in order. */
export function installPublicApi(widget: Widget): void {
  const stub = window.SupportChat as Stub | undefined;
  const queued = Array.isArray(stub?.q) ? (stub.q as unknown[]) : [];
  // Hosts call this from plain JavaScript: arguments are checked, not trusted to match the types.
  const api: SupportChatApi = {
    setUser: (identity) => widget.setUser(identity),
    reset: () => widget.reset(),
    setLocale(locale) {
      if (locale === "en" || locale === "ru") widget.setLocale(locale);
    },
    setTheme(theme) {
      if (theme === "light" || theme === "dark" || theme === "auto") widget.setTheme(theme);
    },
    open: () => widget.open(),
    close: () => widget.close(),
    on(name, listener) {
      if (!eventNames.includes(name) || typeof listener !== "function") return () => undefined;
      return widget.on(name, listener);
    },
  };
  window.SupportChat = api;
  for (const call of queued) {
    if (!Array.isArray(call)) continue;
    const [method, ...args] = call as [unknown, ...unknown[]];
    if (typeof method === "string" && Object.prototype.hasOwnProperty.call(api, method)) {
      (api[method as keyof SupportChatApi] as (...values: unknown[]) => unknown)(...args);
    }
  }
}
