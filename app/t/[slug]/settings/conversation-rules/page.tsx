import { ConversationRulesSettings } from "@/components/settings/conversation-rules-settings";
import { PageHeader } from "@/components/settings/page-header";
import { HydrateClient, getQueryClient, trpc } from "@/server/api/server";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("conversation-rules") };
}

export default async function Page() {
  await getQueryClient().prefetchQuery(trpc.settings.get.queryOptions());
  const t = await getTranslations("settings.rules");
  return (
    <HydrateClient>
      <PageHeader title={t("title")} description={t("description")} />
      <ConversationRulesSettings />
    </HydrateClient>
  );
}
