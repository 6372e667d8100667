import { DeliverySettings } from "@/components/settings/delivery-settings";
import { PageHeader } from "@/components/settings/page-header";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("delivery") };
}

export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const t = await getTranslations("settings.delivery");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <DeliverySettings slug={slug} />
    </>
  );
}
