import type { SystemDb } from "@/server/db/client";
import { AppError, isUniqueViolation } from "@/server/errors";
import { recordAudit } from "@/server/services/audit/record-audit";
import { hashPassword } from "@/server/security/password";
import { hashInvitationToken } from "./invite-member";

/**
 * The invitee has only the link's token, so these look the invitation up with
 * the system client; the token (256 random bits) is the authorization to see
 * the invitation — never to act for an account that already exists: that
 * account must be the one signed in.
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

/** The signed-in caller, when there is one: the page offers to join as them, or says they are someone else. */
type Caller = { userId: string } | null;

/**
 * What the invitation page shows. It says nothing about whether the invited
 * address has an account (anyone may invite any address, so that would tell an
 * admin of one workspace who uses another); it says who the caller is, which
 * the caller knows anyway.
 */
export async function findInvitation(db: SystemDb, input: { token: string; caller: Caller }) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(input.token) },
    include: { tenant: { select: { name: true, slug: true } } },
  });
  if (!invitation) throw new AppError("NOT_FOUND", "this invitation link is not valid");
  const state = stateOf(invitation);
  const you = input.caller ? await db.user.findUnique({ where: { id: input.caller.userId }, select: { email: true } }) : null;
  return {
    state,
    problem: state === "pending" ? null : unusable[state],
    email: invitation.email,
    role: invitation.role,
    tenant: invitation.tenant,
    expiresAt: invitation.expiresAt,
    signedInAs: you ? { email: you.email, isInvitee: you.email === invitation.email } : null,
  };
}

/**
 * Joins the tenant, once: the invitation row is locked and marked accepted in
 * the same transaction. Signed in, the caller joins as themselves, and only if
 * they are the invited address. Signed out, a new account is created with the
 * chosen name and password; an address that already has an account must sign
 * in first (consent: nobody joins a workspace for someone else's account).
 */
export async function acceptInvitation(
  db: SystemDb,
  input: { token: string; caller: Caller; name?: string; password?: string; requestId?: string; ip?: string },
) {
  // Hashing a password costs a fifth of a second of a core: only for a live invitation that will create
  // an account, never for a guessed token (the transaction below checks it all again under the lock).
  const found = await db.invitation.findUnique({ where: { tokenHash: hashInvitationToken(input.token) }, select: { email: true, acceptedAt: true, revokedAt: true, expiresAt: true } });
  if (!found) throw new AppError("NOT_FOUND", "this invitation link is not valid");
  const needsAccount = !input.caller && stateOf(found) === "pending" && !(await db.user.findUnique({ where: { email: found.email }, select: { id: true } }));
  const passwordHash = needsAccount && input.password ? await hashPassword(input.password) : undefined;
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Invitation" WHERE "tokenHash" = ${hashInvitationToken(input.token)} FOR UPDATE`;
    if (!locked) throw new AppError("NOT_FOUND", "this invitation link is not valid");
    const invitation = await tx.invitation.findUniqueOrThrow({ where: { id: locked.id }, include: { tenant: true } });
    const state = stateOf(invitation);
    if (state !== "pending") throw new AppError("CONFLICT", unusable[state]);

    let user;
    if (input.caller) {
      user = await tx.user.findUnique({ where: { id: input.caller.userId } });
      if (!user) throw new AppError("UNAUTHORIZED", "this account no longer exists; sign in again");
      if (user.email !== invitation.email) {
        throw new AppError("FORBIDDEN", `this invitation is for ${invitation.email}; you are signed in as ${user.email}. Sign out, then open the link again`, {
          reason: "other_account",
        });
      }
    } else {
      if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) {
        throw new AppError("CONFLICT", `${invitation.email} already has an account: sign in with it to accept this invitation`, { reason: "sign_in_to_accept" });
      }
      if (!input.name || !passwordHash) {
        throw new AppError("BAD_REQUEST", "choose a name and a password to create your account", {
          fieldErrors: { ...(input.name ? {} : { name: ["required"] }), ...(passwordHash ? {} : { password: ["required"] }) },
        });
      }
      user = await tx.user
        .create({ data: { email: invitation.email, name: input.name, passwordHash } })
        .catch((error: unknown) => {
          // Another invitation for the same address was accepted at the same moment: that account exists now.
          if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${invitation.email} already has an account: sign in with it to accept this invitation`, { reason: "sign_in_to_accept" });
          throw error;
        });
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
      metadata: { role: invitation.role, invitationId: invitation.id, newAccount: !input.caller },
    });
    return { tenant: { slug: invitation.tenant.slug, name: invitation.tenant.name }, email: user.email, alreadyMember: Boolean(already), signedIn: Boolean(input.caller) };
  });
}
