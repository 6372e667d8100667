import { accentColors } from "./accent";
import { el, icon, icons } from "./dom";
import type { Strings } from "./strings";
import { styles } from "./styles";

export type Theme = "light" | "dark" | "auto";

const phone = "(max-width: 480px)";
const focusable = 'button, a[href], input:not([hidden]), textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Where the sheet goes: a constructed stylesheet where the browser has them,
 * because a host page whose CSP forbids inline styles still allows those; a
 * <style> element elsewhere.
 */
function addStyles(shadow: ShadowRoot): HTMLStyleElement | null {
  if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    shadow.adoptedStyleSheets = [sheet];
    return null;
  }
  return el("style", { text: styles });
}

/**
 * The widget's frame in its shadow root: the launcher bubble and the chat
 * panel (a dialog with a header, a scrolling body and a footer), opening,
 * closing and where focus goes. The panel is modal only where it covers the
 * page (phones): there Tab cycles inside it; elsewhere Tab leaves it through
 * the launcher, which follows it.
 */
export function widgetShell(shadow: ShadowRoot, options: { title: string; strings: Strings; color: string; position: string; theme: Theme }, on: { toggle: (open: boolean) => void }) {
  const { strings } = options;
  const panelId = "sc-panel";
  const titleId = "sc-title";
  const banner = el("div", { className: "banner", text: strings.connectionLost, attrs: { role: "status", hidden: "" } });
  const body = el("div", { className: "body" });
  const footer = el("div");
  const panel = el(
    "div",
    { className: "panel", attrs: { id: panelId, role: "dialog", "aria-labelledby": titleId, hidden: "" } },
    [
      el("div", { className: "header" }, [
        el("h2", { className: "title", text: options.title, attrs: { id: titleId } }),
        el("button", { className: "icon-button", attrs: { type: "button", "aria-label": strings.closeLabel }, on: { click: () => on.toggle(false) } }, [
          icon(icons.close),
        ]),
      ]),
      banner,
      body,
      footer,
    ],
  );
  const launcher = el(
    "button",
    {
      className: "launcher",
      attrs: { type: "button", "aria-label": strings.launcherLabel, "aria-controls": panelId, "aria-expanded": "false" },
      on: { click: () => on.toggle(panel.hidden) },
    },
    [icon(icons.chat)],
  );
  const { accent, onAccent } = accentColors(options.color);
  const root = el("div", { className: "root", attrs: { "data-position": options.position === "left" ? "left" : "right" } }, [panel, launcher]);
  root.style.setProperty("--accent", accent);
  root.style.setProperty("--on-accent", onAccent);

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.stopPropagation();
      on.toggle(false);
      return;
    }
    if (event.key !== "Tab" || panel.hidden || !matchMedia(phone).matches) return;
    const items = Array.from(panel.querySelectorAll<HTMLElement>(focusable)).filter((item) => item.getClientRects().length > 0);
    const first = items[0];
    const last = items[items.length - 1];
    const active = shadow.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first?.focus();
    }
  });

  const style = addStyles(shadow);
  shadow.replaceChildren(...(style ? [style] : []), root);

  function setTheme(theme: Theme): void {
    if (theme === "auto") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
  }
  setTheme(options.theme);

  return {
    body,
    footer,
    banner,
    setTheme,
    /** Shows or hides the panel; focus goes to `focusInside` on open and back to the launcher on close. */
    setOpen(open: boolean, focusInside: () => void): void {
      const moveFocus = open || shadow.activeElement !== null;
      panel.hidden = !open;
      root.toggleAttribute("data-open", open);
      launcher.setAttribute("aria-expanded", String(open));
      // Open, the bubble closes the panel, and says so.
      launcher.setAttribute("aria-label", open ? strings.closeLabel : strings.launcherLabel);
      launcher.replaceChildren(icon(open ? icons.close : icons.chat));
      if (!moveFocus) return;
      if (open) focusInside();
      else launcher.focus();
    },
    isOpen: () => !panel.hidden,
  };
}
