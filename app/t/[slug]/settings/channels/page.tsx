import { ChannelsSettings } from "@/components/settings/channels-settings";
import { PageHeader } from "@/components/settings/page-header";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("channels") };
}

export default async function Page() {
  const t = await getTranslations("settings.channels");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ChannelsSettings />
    </>
  );
}
