import { ApiKeysSettings } from "@/components/settings/api-keys-settings";
import { PageHeader } from "@/components/settings/page-header";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("api-keys") };
}

export default async function Page() {
  const t = await getTranslations("settings.apiKeys");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ApiKeysSettings />
    </>
  );
}
