import { MembersSettings } from "@/components/settings/members-settings";
import { PageHeader } from "@/components/settings/page-header";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("members") };
}

export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const t = await getTranslations("settings.members");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <MembersSettings slug={slug} />
    </>
  );
}
