"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { waitParts } from "./wait-time";

/** Says a waiting time in the person's language ("5 min", "2 h 10 min"). */
export function useWaitLabel() {
  const t = useTranslations("inbox.wait");
  return useCallback((ms: number) => {
    const { unit, count, minutes } = waitParts(ms);
    return t(unit, { count, minutes });
  }, [t]);
}
