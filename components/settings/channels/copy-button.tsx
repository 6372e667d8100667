"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * Copies a text to the clipboard and says so next to the button ("Copied", for
 * a few seconds), or, where the browser refuses, asks to copy by hand. The
 * message is a live region, so screen readers hear it too.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations("settings.channels.widget");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state !== "copied") return;
    const timer = setTimeout(() => setState("idle"), 3000);
    return () => clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      // Missing outside secure contexts (plain http other than localhost): that is a failure too.
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Button type="button" variant="secondary" className="px-3 py-1.5" onClick={() => void copy()}>
        {label}
      </Button>
      <span role="status" className={`text-sm ${state === "failed" ? "text-red-700 dark:text-red-400" : "font-medium text-emerald-700 dark:text-emerald-400"}`}>
        {state === "copied" ? `✓ ${t("copied")}` : state === "failed" ? t("copyFailed") : ""}
      </span>
    </span>
  );
}
