import { BusinessHoursSettings } from "@/components/settings/business-hours-settings";
import { PageHeader } from "@/components/settings/page-header";
import { HydrateClient, getQueryClient, trpc } from "@/server/api/server";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("settings.nav");
  return { title: t("business-hours") };
}

export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await getQueryClient().prefetchQuery(trpc.settings.get.queryOptions());
  const t = await getTranslations("settings.businessHours");
  return (
    <HydrateClient>
      <PageHeader title={t("title")} description={t("description")} />
      <BusinessHoursSettings slug={slug} />
    </HydrateClient>
  );
}
