import { PageHeader } from "@/components/settings/page-header";
import { TemplatesSettings } from "@/components/settings/templates-settings";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("templates") };
}

export default async function Page() {
  const t = await getTranslations("settings.templates");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <TemplatesSettings />
    </>
  );
}
