import { SystemStatus } from "@/components/status/system-status";
import { Card } from "@/components/ui/card";
import { getQueryClient, HydrateClient, trpc } from "@/server/api/server";

export const dynamic = "force-dynamic";

export default function HomePage() {
  void getQueryClient().prefetchQuery(trpc.health.check.queryOptions());
  return (
    <HydrateClient>
      <main className="mx-auto flex max-w-2xl flex-col gap-6 px-6 py-16">
        <header>
          <h1 className="text-3xl font-semibold tracking-tight">Support Chat</h1>
          <p className="mt-2 text-slate-600 dark:text-slate-400">
            Customers write to your Telegram bot; your team answers from one live inbox.
          </p>
        </header>
        <Card title="System status">
          <SystemStatus />
        </Card>
      </main>
    </HydrateClient>
  );
}
