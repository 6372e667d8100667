import { PageHeader } from "@/components/settings/page-header";
import { RetentionSettings } from "@/components/settings/retention-settings";
import { HydrateClient, getQueryClient, trpc } from "@/server/api/server";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("retention") };
}

export default async function Page() {
  await getQueryClient().prefetchQuery(trpc.settings.get.queryOptions());
  const t = await getTranslations("settings.retention");
  return (
    <HydrateClient>
      <PageHeader title={t("title")} description={t("description")} />
      <RetentionSettings />
    </HydrateClient>
  );
}
