import type { AppDb } from "@/server/db/client";
import type { JobTask } from "@/server/worker/job-task";
import { adapterFor, channelKinds } from "../registry";

/** Every channel's own worker jobs, for the worker's task table. */
export function channelJobs(appDb: AppDb): Record<string, JobTask> {
  const tasks: Record<string, JobTask> = {};
  for (const kind of channelKinds()) {
    for (const [name, run] of Object.entries(adapterFor(kind).jobs ?? {})) {
      tasks[name] = async (payload, job) => {
        await run({ appDb, log: job.log }, payload);
      };
    }
  }
  return tasks;
}
