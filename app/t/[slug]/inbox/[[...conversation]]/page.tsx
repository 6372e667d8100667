import { notFound } from "next/navigation";
import { HydrateClient, getQueryClient, trpc } from "@/server/api/server";

export const dynamic = "force-dynamic";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * /t/<slug>/inbox/<conversationId>: the open conversation and its thread come
 * with the page (the inbox itself is the layout's, and reads the id from the URL).
 */
export default async function InboxPage({ params }: { params: Promise<{ slug: string; conversation?: string[] }> }) {
  const { conversation } = await params;
  if (conversation && (conversation.length > 1 || !uuid.test(conversation[0]!))) notFound();
  const conversationId = conversation?.[0];
  if (!conversationId) return null;
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.conversations.get.queryOptions({ id: conversationId })),
    queryClient.prefetchQuery(trpc.messages.list.queryOptions({ conversationId })),
  ]);
  return <HydrateClient>{null}</HydrateClient>;
}
