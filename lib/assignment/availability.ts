/** Whether a member takes new work: only `online` members get conversations from a policy; `busy` keep theirs. */
export const availabilities = ["online", "busy", "offline"] as const;
export type Availability = (typeof availabilities)[number];

/** How a policy picks the agent: `round_robin` (whoever was given one longest ago), `balanced` (fewest open first); `off` assigns nothing. */
export const assignmentModes = ["off", "round_robin", "balanced"] as const;
export type AssignmentMode = (typeof assignmentModes)[number];
