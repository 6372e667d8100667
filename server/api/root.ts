import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { accountRouter } from "@/server/api/routers/account";
import { apiKeysRouter } from "@/server/api/routers/api-keys";
import { assignmentRouter } from "@/server/api/routers/assignment";
import { auditLogRouter } from "@/server/api/routers/audit-log";
import { channelsRouter } from "@/server/api/routers/channels";
import { conversationsRouter } from "@/server/api/routers/conversations";
import { deliveryRouter } from "@/server/api/routers/delivery";
import { healthRouter } from "@/server/api/routers/health";
import { invitationsRouter } from "@/server/api/routers/invitations";
import { meRouter } from "@/server/api/routers/me";
import { membersRouter } from "@/server/api/routers/members";
import { messagesRouter } from "@/server/api/routers/messages";
import { notificationsRouter } from "@/server/api/routers/notifications";
import { reportsRouter } from "@/server/api/routers/reports";
import { quarantineRouter } from "@/server/api/routers/quarantine";
import { realtimeRouter } from "@/server/api/routers/realtime";
import { settingsRouter } from "@/server/api/routers/settings";
import { teamsRouter } from "@/server/api/routers/teams";
import { templatesRouter } from "@/server/api/routers/templates";
import { workspaceRouter } from "@/server/api/routers/workspace";

export const appRouter = createTRPCRouter({
  health: healthRouter,
  me: meRouter,
  account: accountRouter,
  workspace: workspaceRouter,
  members: membersRouter,
  teams: teamsRouter,
  assignment: assignmentRouter,
  invitations: invitationsRouter,
  apiKeys: apiKeysRouter,
  channels: channelsRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  notifications: notificationsRouter,
  reports: reportsRouter,
  auditLog: auditLogRouter,
  realtime: realtimeRouter,
  templates: templatesRouter,
  settings: settingsRouter,
  delivery: deliveryRouter,
  quarantine: quarantineRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
