import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ComponentType } from "react";
import { ApiKeysSettings } from "@/components/settings/api-keys-settings";
import { AssignmentSettings } from "@/components/settings/assignment-settings";
import { AuditLogSettings } from "@/components/settings/audit-log-settings";
import { BusinessHoursSettings } from "@/components/settings/business-hours-settings";
import { ChannelsSettings } from "@/components/settings/channels-settings";
import { ConversationRulesSettings } from "@/components/settings/conversation-rules-settings";
import { DeliverySettings } from "@/components/settings/delivery-settings";
import { GeneralSettings } from "@/components/settings/general-settings";
import { MembersSettings } from "@/components/settings/members-settings";
import { PageHeader } from "@/components/settings/page-header";
import { RetentionSettings } from "@/components/settings/retention-settings";
import { settingsSections, type SettingsSection } from "@/components/settings/sections";
import { TeamsSettings } from "@/components/settings/teams-settings";
import { TemplatesSettings } from "@/components/settings/templates-settings";
import { HydrateClient, getQueryClient, trpc } from "@/server/api/server";

/**
 * /t/<slug>/settings/<section>: the page's form, under its title. Pages that
 * edit workspace settings come with them already loaded.
 */
const pages: Record<SettingsSection, { Component: ComponentType<{ slug: string }>; messages: string; editsSettings?: boolean }> = {
  general: { Component: GeneralSettings, messages: "general", editsSettings: true },
  "business-hours": { Component: BusinessHoursSettings, messages: "businessHours", editsSettings: true },
  "conversation-rules": { Component: ConversationRulesSettings, messages: "rules", editsSettings: true },
  retention: { Component: RetentionSettings, messages: "retention", editsSettings: true },
  members: { Component: MembersSettings, messages: "members" },
  teams: { Component: TeamsSettings, messages: "teams" },
  assignment: { Component: AssignmentSettings, messages: "assignment", editsSettings: true },
  channels: { Component: ChannelsSettings, messages: "channels" },
  "api-keys": { Component: ApiKeysSettings, messages: "apiKeys" },
  templates: { Component: TemplatesSettings, messages: "templates" },
  delivery: { Component: DeliverySettings, messages: "delivery" },
  "audit-log": { Component: AuditLogSettings, messages: "auditLog" },
};

const isSection = (value: string): value is SettingsSection => (settingsSections as readonly string[]).includes(value);

type Params = { params: Promise<{ slug: string; section: string }> };

export async function generateMetadata({ params }: Params) {
  const { section } = await params;
  if (!isSection(section)) return {};
  const t = await getTranslations("settings.nav");
  return { title: t(section) };
}

export default async function SettingsPage({ params }: Params) {
  const { slug, section } = await params;
  if (!isSection(section)) notFound();
  const { Component, messages, editsSettings } = pages[section];
  if (editsSettings) await getQueryClient().prefetchQuery(trpc.settings.get.queryOptions());
  const t = await getTranslations(`settings.${messages}`);
  return (
    <HydrateClient>
      <PageHeader title={t("title")} description={t("description")} />
      <Component slug={slug} />
    </HydrateClient>
  );
}
