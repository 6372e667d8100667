"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { QueryStatus } from "./query-status";
import { emptyDraft, TemplateEditor } from "./template-editor";

/** The workspace's templates on the left; the selected one (or a new one) in the editor. */
export function TemplatesSettings() {
  const t = useTranslations("settings.templates");
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<string | "new" | null>(null);
  const list = useQuery(trpc.templates.list.queryOptions(search.trim() ? { search: search.trim() } : {}, { placeholderData: (previous) => previous }));
  const settings = useQuery(trpc.settings.get.queryOptions());
  const template = useQuery({ ...trpc.templates.get.queryOptions({ id: selected ?? "" }), enabled: Boolean(selected && selected !== "new") });
  const defaultLocale = settings.data?.values.defaultLocale ?? "en";

  return (
    <div className="grid gap-6 md:grid-cols-[14rem_minmax(0,1fr)]">
      <div className="flex flex-col gap-3">
        <Button type="button" onClick={() => setSelected("new")}>
          {t("new")}
        </Button>
        <label className="sr-only" htmlFor="template-search">
          {t("search")}
        </label>
        <input
          id="template-search"
          type="search"
          placeholder={t("search")}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} empty={list.data?.length === 0 && (search ? t("noMatches") : t("empty"))} />
        <ul className="flex flex-col gap-1" aria-label={t("listLabel")}>
          {list.data?.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                onClick={() => setSelected(item.id)}
                aria-current={selected === item.id ? "true" : undefined}
                className={`w-full rounded-lg px-3 py-2 text-left text-sm ${selected === item.id ? "bg-brand-50 dark:bg-slate-800" : "hover:bg-slate-100 dark:hover:bg-slate-900"}`}
              >
                <span className="block font-mono text-xs font-medium">{item.key}</span>
                <span className="block text-xs text-slate-500">
                  {t(`kinds.${item.kind}`)} · {item.variants.map((variant) => variant.locale).join(", ")}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="flex min-w-0 flex-col gap-4">
        {selected === null ? <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500 dark:border-slate-700">{t("pick")}</p> : null}
        {selected === "new" ? (
          <TemplateEditor key="new" templateId={null} initial={emptyDraft(defaultLocale)} updatedAt={null} defaultLocale={defaultLocale} onSaved={setSelected} onDeleted={() => setSelected(null)} />
        ) : null}
        {selected && selected !== "new" && template.isPending ? <p className="text-sm text-slate-500" role="status">{t("loading")}</p> : null}
        {selected && selected !== "new" && template.isError ? <Alert tone="error">{template.error.message}</Alert> : null}
        {selected && selected !== "new" && template.data ? (
          <TemplateEditor
            key={template.data.id}
            templateId={template.data.id}
            initial={{
              key: template.data.key,
              kind: template.data.kind,
              description: template.data.description ?? "",
              published: template.data.published,
              variants: template.data.variants.map((variant) => ({ locale: variant.locale, body: variant.body })),
            }}
            updatedAt={template.data.updatedAt}
            defaultLocale={defaultLocale}
            onSaved={setSelected}
            onDeleted={() => setSelected(null)}
          />
        ) : null}
      </div>
    </div>
  );
}
