import type { Role } from "@/server/db/generated/enums";
import { AppError } from "@/server/errors";

/**
 * Who may manage whom: owners manage everyone; admins manage admins and agents
 * but can neither touch an owner nor make one; agents manage no one.
 */
export function assertMayManage(actorRole: Role, targetRole: Role): void {
  if (actorRole === "owner") return;
  if (actorRole === "admin" && targetRole !== "owner") return;
  throw new AppError(
    "FORBIDDEN",
    targetRole === "owner" ? "only an owner can manage owners" : "only owners and admins can manage members",
  );
}
