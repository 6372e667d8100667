import { runInboxBench } from "./inbox";
import { runRealtimeBench } from "./realtime";
import { runReportsBench } from "./reports";
import { runRoutingBench } from "./routing";
import { runTelegramBench } from "./telegram";
import { runWidgetBench } from "./widget";

/** `npm run bench -- <scenario>`: runs a benchmark and prints its figures. */
const scenarios: Record<string, () => Promise<void>> = { telegram: runTelegramBench, realtime: runRealtimeBench, inbox: runInboxBench, widget: runWidgetBench, routing: runRoutingBench, reports: runReportsBench };

const name = process.argv[2] ?? "telegram";
const scenario = scenarios[name];
if (!scenario) {
  process.stderr.write(`unknown benchmark "${name}"; choose one of: ${Object.keys(scenarios).join(", ")}\n`);
  process.exit(1);
}
scenario().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
