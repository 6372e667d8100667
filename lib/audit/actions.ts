/** Every action the audit log records; the Audit log page filters by them. */
export const auditActions = [
  "auth.sign_in_failed",
  "auth.password_changed",
  "auth.sessions_revoked",
  "api_key.created",
  "api_key.revoked",
  "member.invited",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "invitation.revoked",
  "channel.connected",
  "channel.disconnected",
  "channel.mode_changed",
  "settings.updated",
  "template.created",
  "template.updated",
  "template.deleted",
  "delivery.retried",
  "delivery.discarded",
  "quarantined_update.retried",
  "quarantined_update.discarded",
  "retention.purged",
] as const;

export type AuditAction = (typeof auditActions)[number];
