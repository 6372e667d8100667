import { createHash, randomBytes } from "node:crypto";
import type { DbClient } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { AppError } from "@/server/errors";
import { sendMail } from "@/server/mail/send-mail";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertMayManage } from "@/server/services/members/role-rules";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Creates a single-use invitation link that expires in 7 days, replacing any
 * pending invitation for the same address. With SMTP configured the link is
 * mailed; otherwise it is returned so the admin can pass it on.
 */
export async function inviteMember(
  db: DbClient,
  input: {
    tenantId: string;
    email: string;
    role: Role;
    actorRole: Role;
    actor: Actor;
    publicUrl: string;
    mail: { SMTP_URL?: string; MAIL_FROM: string };
  },
) {
  assertMayManage(input.actorRole, input.role);
  const existing = await db.membership.findFirst({ where: { user: { email: input.email } } });
  if (existing) throw new AppError("CONFLICT", `${input.email} is already a member of this workspace`);

  await db.invitation.updateMany({
    where: { email: input.email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const token = randomBytes(32).toString("base64url");
  const invitation = await db.invitation.create({
    data: {
      tenantId: input.tenantId,
      email: input.email,
      role: input.role,
      tokenHash: hashInvitationToken(token),
      invitedById: input.actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    },
  });
  const url = `${input.publicUrl}/invite/${token}`;
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { name: true } });
  let emailed: boolean;
  try {
    emailed = await sendMail(
      {
        to: input.email,
        subject: `You are invited to ${tenant.name} on Support Chat`,
        text: `You have been invited to join ${tenant.name} as ${input.role}.\n\nOpen this link within 7 days to accept:\n${url}\n`,
      },
      input.mail,
    );
  } catch (error) {
    throw new AppError("SERVICE_UNAVAILABLE", `the invitation email could not be sent (${(error as Error).message}); try again or remove SMTP_URL to copy the link instead`);
  }
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "member.invited",
    actor: input.actor,
    targetType: "invitation",
    targetId: invitation.id,
    metadata: { email: input.email, role: input.role, emailed },
  });
  return {
    invitation: { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt },
    emailed,
    // Shown to the admin only when no email carries it.
    url: emailed ? null : url,
  };
}
