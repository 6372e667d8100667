import type { DbClient } from "@/server/db/client";
import { policySubject, readPolicy, type PolicySubject, type PolicyView } from "./policy-view";

/** The assignment policy of one channel or team (off when none was set). */
export async function getPolicy(db: DbClient, input: PolicySubject): Promise<PolicyView> {
  return readPolicy(db, await policySubject(db, input));
}
