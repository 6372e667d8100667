"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** `callbackUrl`: where to land afterwards, a same-site path (the sign-in page, saying so, by default). */
export function SignOutButton({ variant = "secondary", callbackUrl = "/sign-in?notice=signedOut" }: { variant?: "primary" | "secondary"; callbackUrl?: string }) {
  const t = useTranslations("auth.signOut");
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant={variant}
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl });
      }}
    >
      {pending ? t("submitting") : t("submit")}
    </Button>
  );
}
