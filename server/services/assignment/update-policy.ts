import type { DbClient } from "@/server/db/client";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { effectiveModeSql } from "./effective-policy";
import { policySubject, readPolicy, type AssignmentMode, type PolicySubject, type PolicyView } from "./policy-view";
import { Prisma } from "@/server/db/generated/client";

/**
 * Sets a channel's or a team's policy. Turning one on puts the subject's open, unassigned
 * conversations into the queue (waiting since their last message), so the backlog is shared
 * out too; turning one off takes its waiting ones out of the queue.
 */
export async function updatePolicy(
  db: DbClient,
  input: PolicySubject & { tenantId: string; mode: AssignmentMode; returnAfterMinutes: number | null; actor: Actor },
): Promise<PolicyView> {
  const subject = await policySubject(db, input);
  const before = await readPolicy(db, subject);
  const data = { mode: input.mode, returnAfterMinutes: input.returnAfterMinutes };
  // One statement, so two admins saving a subject's first policy at once cannot both insert it.
  const column = Prisma.raw(subject.kind === "channel" ? `"channelId"` : `"teamId"`);
  await db.$executeRaw`
    INSERT INTO "AssignmentPolicy" (id, "tenantId", ${column}, mode, "returnAfterMinutes", "updatedAt")
    VALUES (gen_random_uuid(), ${input.tenantId}::uuid, ${subject.id}::uuid, ${input.mode}::"AssignmentMode", ${input.returnAfterMinutes}::int, now())
    ON CONFLICT (${column}) DO UPDATE SET mode = EXCLUDED.mode, "returnAfterMinutes" = EXCLUDED."returnAfterMinutes", "updatedAt" = now()`;
  const subjectColumn = subject.kind === "channel" ? Prisma.sql`c."channelId"` : Prisma.sql`c."teamId"`;
  if (input.mode !== "off" && before.mode === "off") {
    await db.$executeRaw`
      UPDATE "Conversation" c SET "queuedAt" = COALESCE(c."lastMessageAt", c."createdAt")
      WHERE ${subjectColumn} = ${subject.id}::uuid AND c.status = 'open' AND c."assigneeId" IS NULL AND c."queuedAt" IS NULL
        AND ${Prisma.raw(effectiveModeSql("c"))} <> 'off'`;
  }
  if (input.mode === "off" && before.mode !== "off") {
    // Nothing assigns them any more (unless another policy does): they leave the queue at once.
    await db.$executeRaw`
      UPDATE "Conversation" c SET "queuedAt" = NULL, "queueWaiting" = false
      WHERE ${subjectColumn} = ${subject.id}::uuid AND c."queuedAt" IS NOT NULL AND ${Prisma.raw(effectiveModeSql("c"))} = 'off'`;
  }
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "assignment.policy_updated",
    actor: input.actor,
    targetType: subject.kind,
    targetId: subject.id,
    metadata: { before: { mode: before.mode, returnAfterMinutes: before.returnAfterMinutes }, after: data },
  });
  return readPolicy(db, subject);
}
