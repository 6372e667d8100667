import { useTranslations } from "next-intl";
import type { WidgetPosition } from "@/lib/widget/protocol";
import { accentColors } from "@/widget/src/accent";

const bubbleIcon = (
  <svg viewBox="0 0 24 24" width="24" height="24" fill="currentColor" aria-hidden>
    <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
  </svg>
);

const sendIcon = (
  <svg viewBox="0 0 24 24" width="14" height="14" fill="currentColor" aria-hidden>
    <path d="M3 20.5 21 12 3 3.5V10l12 2-12 2z" />
  </svg>
);

/**
 * A static likeness of the widget in the chosen colour and corner: the open
 * panel (greeting, pre-chat form or composer) above the closed launcher, on a
 * sketch of the host page. Light or dark with this page, as the real widget
 * follows the visitor's. Nothing in it is a control; it is hidden from screen
 * readers, which get the form's own fields instead.
 */
export function WidgetPreview({ color, position, greeting, preChat }: { color: string; position: WidgetPosition; greeting: string; preChat: boolean }) {
  const t = useTranslations("settings.channels.widget");
  // The widget's own rule for the text colour on the accent, so the likeness matches it.
  const { accent, onAccent } = accentColors(color);
  const onAccentStyle = { background: accent, color: onAccent };
  return (
    <figure className="flex flex-col gap-2" data-testid="widget-preview" data-position={position}>
      <figcaption className="text-sm">
        <span className="font-medium text-slate-700 dark:text-slate-300">{t("preview")}</span>
        <span className="block text-xs text-slate-500">{t("previewHint")}</span>
      </figcaption>
      <div aria-hidden className={`relative flex h-[27rem] flex-col justify-end gap-3 overflow-hidden rounded-xl border border-slate-200 bg-slate-100 p-3 dark:border-slate-800 dark:bg-slate-950 ${position === "left" ? "items-start" : "items-end"}`}>
        <div className="absolute inset-x-3 top-3 flex flex-col gap-2">
          <div className="h-3 w-1/3 rounded bg-slate-300 dark:bg-slate-800" />
          <div className="h-2 w-5/6 rounded bg-slate-200 dark:bg-slate-900" />
          <div className="h-2 w-2/3 rounded bg-slate-200 dark:bg-slate-900" />
        </div>
        <div className="relative flex w-64 max-w-full flex-col overflow-hidden rounded-2xl border border-slate-200 bg-white text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
          <div className="flex items-center gap-2 px-3 py-2.5" style={onAccentStyle}>
            <span className="flex-1 truncate text-sm font-semibold">{t("previewTitle")}</span>
            <span className="text-lg leading-none">×</span>
          </div>
          <div className="flex min-h-36 flex-col gap-2 p-3 text-sm">
            {greeting.trim() ? <p className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 [overflow-wrap:anywhere] dark:bg-slate-800">{greeting.trim()}</p> : null}
            {preChat ? (
              <div className="flex flex-col gap-2 rounded-xl bg-slate-100 p-3 dark:bg-slate-800">
                <p className="text-xs font-semibold">{t("previewPreChatTitle")}</p>
                {[t("previewName"), t("previewEmail")].map((label) => (
                  <div key={label} className="flex flex-col gap-0.5">
                    <span className="text-xs font-semibold">{label}</span>
                    <span className="h-6 rounded-md border border-slate-300 bg-white dark:border-slate-600 dark:bg-slate-900" />
                  </div>
                ))}
                <span className="self-start rounded-md px-3 py-1 text-xs font-semibold" style={onAccentStyle}>
                  {t("previewStart")}
                </span>
              </div>
            ) : null}
          </div>
          {preChat ? null : (
            <div className="flex items-center gap-2 border-t border-slate-200 px-3 py-2 dark:border-slate-700">
              <span className="flex-1 truncate rounded-full border border-slate-300 px-3 py-1.5 text-xs text-slate-500 dark:border-slate-600 dark:text-slate-400">{t("previewPlaceholder")}</span>
              <span className="flex size-7 items-center justify-center rounded-full" style={onAccentStyle}>
                {sendIcon}
              </span>
            </div>
          )}
        </div>
        <div className="flex size-12 items-center justify-center rounded-full shadow-lg" style={onAccentStyle}>
          {bubbleIcon}
        </div>
      </div>
    </figure>
  );
}
