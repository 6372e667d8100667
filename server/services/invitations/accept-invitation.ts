import type { SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit } from "@/server/services/audit/record-audit";
import { hashPassword } from "@/server/security/password";
import { hashInvitationToken } from "./invite-member";

/**
 * The invitee has only the link's token, so these look the invitation up with
 * the system client; the token (256 random bits) is the authorization.
 */

type InvitationState = "pending" | "accepted" | "revoked" | "expired";

function stateOf(invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= Date.now()) return "expired";
  return "pending";
}

const unusable: Record<Exclude<InvitationState, "pending">, string> = {
  accepted: "this invitation has already been used; sign in instead",
  revoked: "this invitation was withdrawn; ask your admin for a new one",
  expired: "this invitation has expired; ask your admin for a new one",
};

export async function findInvitation(db: SystemDb, token: string) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: { tenant: { select: { name: true, slug: true } } },
  });
  if (!invitation) throw new AppError("NOT_FOUND", "this invitation link is not valid");
  const state = stateOf(invitation);
  const hasAccount = (await db.user.count({ where: { email: invitation.email } })) > 0;
  return {
    state,
    problem: state === "pending" ? null : unusable[state],
    email: invitation.email,
    role: invitation.role,
    tenant: invitation.tenant,
    expiresAt: invitation.expiresAt,
    hasAccount,
  };
}

/**
 * Joins the tenant. A new address must choose a name and password; an existing
 * account keeps its password and simply gains the membership. Single use: the
 * invitation row is locked and marked accepted in the same transaction.
 */
export async function acceptInvitation(
  db: SystemDb,
  input: { token: string; name?: string; password?: string; requestId?: string; ip?: string },
) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Invitation" WHERE "tokenHash" = ${hashInvitationToken(input.token)} FOR UPDATE`;
    if (!locked) throw new AppError("NOT_FOUND", "this invitation link is not valid");
    const invitation = await tx.invitation.findUniqueOrThrow({ where: { id: locked.id }, include: { tenant: true } });
    const state = stateOf(invitation);
    if (state !== "pending") throw new AppError("CONFLICT", unusable[state]);

    let user = await tx.user.findUnique({ where: { email: invitation.email } });
    if (!user) {
      if (!input.name || !passwordHash) throw new AppError("BAD_REQUEST", "choose a name and a password to create your account");
      user = await tx.user.create({ data: { email: invitation.email, name: input.name, passwordHash } });
    }
    const already = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: invitation.tenantId, userId: user.id } } });
    if (!already) {
      await tx.membership.create({ data: { tenantId: invitation.tenantId, userId: user.id, role: invitation.role } });
    }
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
    await recordAudit(tx, {
      tenantId: invitation.tenantId,
      action: "member.joined",
      actor: { userId: user.id, requestId: input.requestId, ip: input.ip },
      targetType: "user",
      targetId: user.id,
      metadata: { role: invitation.role, invitationId: invitation.id },
    });
    return { tenant: { slug: invitation.tenant.slug, name: invitation.tenant.name }, email: user.email };
  });
}
