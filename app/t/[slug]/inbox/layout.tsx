import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Inbox } from "@/components/inbox/inbox";
import { HydrateClient, getQueryClient, trpc } from "@/server/api/server";
import { requireUser } from "@/server/auth/session";
import { requestedPath } from "@/server/http/request-path";

export const dynamic = "force-dynamic";

/**
 * The inbox stays mounted while the agent moves between conversations (only the
 * page below changes), so its realtime connection, list and filters persist.
 * The first screen is rendered with the list already in it.
 */
export default async function InboxLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(requestedPath(await headers(), `/t/${slug}/inbox`));
  await getQueryClient().prefetchInfiniteQuery(
    trpc.conversations.list.infiniteQueryOptions({ view: "all", status: "open", limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  return (
    <HydrateClient>
      <Inbox slug={slug} me={{ id: user.id, name: user.name }} />
      {children}
    </HydrateClient>
  );
}
