import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** A channel as `channels.list` answers it; `details` is the kind's own part, told apart by `kind`. */
export type ChannelItem = inferRouterOutputs<AppRouter>["channels"]["list"][number];
export type TelegramDetails = Extract<ChannelItem["details"], { kind: "telegram" }>;
export type WidgetDetails = Extract<ChannelItem["details"], { kind: "web_widget" }>;
