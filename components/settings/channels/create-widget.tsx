"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { apiError } from "../api-error";
import { SecretOnce } from "./secret-once";
import { SnippetBox } from "./snippet-box";
import { newWidgetDraft } from "./widget-draft";
import { WidgetForm } from "./widget-form";

/**
 * Creating a website widget: the form with its preview; then the embed
 * snippet, and the identity secret this one time.
 */
export function CreateWidget() {
  const t = useTranslations("settings.channels.widget");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A new key empties the form once a widget is created.
  const [formKey, setFormKey] = useState(0);
  const [created, setCreated] = useState<{ name: string; snippet: string; identitySecret: string | null } | null>(null);
  const create = useMutation(
    trpc.channels.createWebWidget.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ name: input.name, snippet: result.snippet, identitySecret: result.identitySecret });
        setFormKey((key) => key + 1);
        void queryClient.invalidateQueries(trpc.channels.list.pathFilter());
      },
    }),
  );
  return (
    <div className="flex flex-col gap-4">
      {created ? (
        <div className="flex flex-col gap-3" data-testid="created-widget">
          <Alert tone="success">{t("created", { name: created.name })}</Alert>
          <SnippetBox snippet={created.snippet} />
          {created.identitySecret ? <SecretOnce secret={created.identitySecret} onDone={() => setCreated({ ...created, identitySecret: null })} /> : null}
        </div>
      ) : null}
      <WidgetForm
        key={formKey}
        initial={newWidgetDraft()}
        submitLabel={t("create")}
        pendingLabel={t("creating")}
        pending={create.isPending}
        failure={apiError(create.error)}
        failureText={(error) => t("createFailed", { error })}
        onSubmit={(input) => {
          setCreated(null);
          create.mutate(input);
        }}
      />
    </div>
  );
}
