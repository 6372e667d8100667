"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "./copy-button";

// Code, not prose: the same in every language.
const example = `// On your server (Node.js): never in the page.
import { createHmac } from "node:crypto";

const identifierHash = createHmac("sha256", process.env.SUPPORT_CHAT_IDENTITY_SECRET)
  .update(String(user.id))
  .digest("hex");

// In the page, for the signed-in user:
window.SupportChat.setUser({ identifier: String(user.id), identifierHash, name: user.name, email: user.email });`;

/**
 * A widget's identity secret, shown this once (after creating the widget or
 * rotating its secret): Copy, the warning that it will not be shown again, and
 * how a host site's server uses it. "I have saved it" puts it away.
 */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useTranslations("settings.channels.widget");
  const id = useId();
  return (
    <div className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50" data-testid="identity-secret">
      <label htmlFor={id} className="font-medium">
        {t("secret")}
      </label>
      <input
        id={id}
        readOnly
        value={secret}
        spellCheck={false}
        aria-describedby={`${id}-once`}
        onFocus={(event) => event.target.select()}
        className="w-full rounded-lg border border-amber-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 outline-none focus:ring-2 focus:ring-amber-500/40 dark:border-amber-800 dark:bg-slate-950 dark:text-slate-100"
      />
      <p id={`${id}-once`} className="font-semibold">
        {t("secretOnce")}
      </p>
      <CopyButton text={secret} label={t("copySecret")} />
      <p>{t("secretHow")}</p>
      <pre className="whitespace-pre-wrap break-all rounded-lg bg-slate-900 p-3 font-mono text-xs text-slate-100">
        <code>{example}</code>
      </pre>
      <Button type="button" variant="secondary" className="self-start px-3 py-1.5" onClick={onDone}>
        {t("secretDone")}
      </Button>
    </div>
  );
}
