/**
 * Which policy decides a conversation: its team's, when the team has one, else its channel's.
 * As SQL over a conversation alias (`c`): the mode as text, `off` when none applies. The same
 * fragment is used by intake's node-postgres path and the services' Prisma path.
 */
export function effectiveModeSql(alias: string): string {
  return `COALESCE(
    (SELECT p.mode::text FROM "AssignmentPolicy" p WHERE p."teamId" = ${alias}."teamId"),
    (SELECT p.mode::text FROM "AssignmentPolicy" p WHERE p."channelId" = ${alias}."channelId"),
    'off')`;
}

/** The same rule's `returnAfterMinutes` (null: the policy never takes conversations back). */
export function effectiveReturnSql(alias: string): string {
  return `CASE WHEN EXISTS (SELECT 1 FROM "AssignmentPolicy" p WHERE p."teamId" = ${alias}."teamId")
    THEN (SELECT p."returnAfterMinutes" FROM "AssignmentPolicy" p WHERE p."teamId" = ${alias}."teamId" AND p.mode <> 'off')
    ELSE (SELECT p."returnAfterMinutes" FROM "AssignmentPolicy" p WHERE p."channelId" = ${alias}."channelId" AND p.mode <> 'off') END`;
}
