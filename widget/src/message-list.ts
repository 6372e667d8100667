import type { Entry } from "./conversation";
import { messageView, type MessageViewOptions } from "./message-view";

type ListOptions = Omit<MessageViewOptions, "showAuthor" | "seen">;

/** The key of the visitor's newest sent message if the team has read up to it. */
function seenKey(entries: Entry[], agentReadAt: string | null): string | null {
  if (!agentReadAt) return null;
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (entry.message.author !== "visitor" || entry.status !== "sent") continue;
    return Date.parse(agentReadAt) >= Date.parse(entry.message.createdAt) ? entry.key : null;
  }
  return null;
}

/**
 * Keeps the `role="log"` list in step with the conversation, reusing the node
 * of every message that did not change: a screen reader then announces only
 * what is new, and images are not loaded again.
 */
export function messageList(log: HTMLElement, options: ListOptions): (entries: Entry[], agentReadAt: string | null) => void {
  let nodes = new Map<string, { signature: string; node: HTMLDivElement }>();
  return (entries, agentReadAt) => {
    const seen = seenKey(entries, agentReadAt);
    const next = new Map<string, { signature: string; node: HTMLDivElement }>();
    const ordered = entries.map((entry, index) => {
      const previous = entries[index - 1]?.message;
      const showAuthor = !previous || previous.author !== entry.message.author || previous.agent?.name !== entry.message.agent?.name;
      const signature = JSON.stringify([entry.message, entry.status, entry.error, showAuthor, entry.key === seen]);
      const known = nodes.get(entry.key);
      if (known?.signature === signature) {
        next.set(entry.key, known);
        return known.node;
      }
      const node = messageView(entry, { ...options, showAuthor, seen: entry.key === seen });
      // In the old one's place, so the nodes after it need not move.
      known?.node.replaceWith(node);
      next.set(entry.key, { signature, node });
      return node;
    });
    let cursor = log.firstChild;
    for (const node of ordered) {
      if (node === cursor) cursor = cursor.nextSibling;
      else log.insertBefore(node, cursor);
    }
    while (cursor) {
      const stale: ChildNode = cursor;
      cursor = cursor.nextSibling;
      stale.remove();
    }
    nodes = next;
  };
}
