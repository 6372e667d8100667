import { installPublicApi } from "./public-api";
import { createWidget } from "./widget";

const hostId = "support-chat-widget";

/** The <script> that loaded this bundle; `currentScript` is gone when the bundle runs late, so the last of ours then. */
function ownScript(): HTMLScriptElement | null {
  if (document.currentScript instanceof HTMLScriptElement) return document.currentScript;
  const ours = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]")).filter((script) => {
    try {
      return new URL(script.src).pathname.endsWith("/widget.js");
    } catch {
      return false;
    }
  });
  return ours[ours.length - 1] ?? null;
}

function boot(script: HTMLScriptElement, publicId: string): void {
  // A snippet pasted twice gives one widget.
  if (document.getElementById(hostId)) return;
  const host = document.createElement("div");
  host.id = hostId;
  document.body.append(host);
  const widget = createWidget(host.attachShadow({ mode: "open" }), { base: new URL(script.src).origin, publicId });
  installPublicApi(widget);
  widget.start();
}

const script = ownScript();
const publicId = script?.dataset.channel;
if (!script || !publicId) {
  // eslint-disable-next-line no-console -- the browser console is the integrator's only log
  console.warn('Support Chat: the widget\'s <script> needs data-channel="<channel id>"');
} else if (document.body) {
  boot(script, publicId);
} else {
  document.addEventListener("DOMContentLoaded", () => boot(script, publicId));
}
