"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SignOutButton({ variant = "secondary" }: { variant?: "primary" | "secondary" }) {
  const t = useTranslations("auth.signOut");
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant={variant}
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/sign-in" });
      }}
    >
      {pending ? t("submitting") : t("submit")}
    </Button>
  );
}
