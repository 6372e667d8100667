import { AuditLogSettings } from "@/components/settings/audit-log-settings";
import { PageHeader } from "@/components/settings/page-header";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("audit-log") };
}

export default async function Page() {
  const t = await getTranslations("settings.auditLog");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AuditLogSettings />
    </>
  );
}
