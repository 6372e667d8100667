import { widgetLimits, type SendRequest, type VisitorMessage } from "@/lib/widget/protocol";
import { ApiError, type Api } from "./api";
import { clientMessageId } from "./client-message-id";

type EntryStatus = "sent" | "sending" | "failed";
/** One bubble: a message from the server, or the visitor's own while it is being sent. */
export type Entry = { key: string; message: VisitorMessage; status: EntryStatus; error: string };

type Outgoing = { id: string; text: string; files: File[]; uploadIds: string[]; preChat: SendRequest["preChat"] };

// A send's own id matches its optimistic bubble to the message the server echoes (over HTTP or the socket).
const keyOf = (message: VisitorMessage) => (message.clientMessageId ? `c:${message.clientMessageId}` : `m:${message.id}`);

/** The protocol leaves the answer of `POST /messages` open: the message itself or `{ message }` are taken, anything else is just "sent". */
function sentMessage(answer: unknown): VisitorMessage | null {
  const candidate = (answer as { message?: unknown } | null)?.message ?? answer;
  const message = candidate as VisitorMessage | null;
  return typeof message?.id === "string" && message.author === "visitor" ? message : null;
}

function localMessage(item: Outgoing): VisitorMessage {
  return {
    id: "",
    author: "visitor",
    agent: null,
    text: item.text || null,
    attachments: item.files.map((file) => ({
      kind: file.type.startsWith("image/") ? "photo" : "document",
      fileName: file.name,
      mimeType: file.type || null,
      size: file.size,
      url: "",
    })),
    createdAt: new Date().toISOString(),
    clientMessageId: item.id,
  };
}

/**
 * The visitor's conversation as the widget shows it: the messages the server
 * has, in order, followed by the sends still under way or failed.
 */
export function createConversation(api: Api, ready: () => Promise<unknown>, changed: () => void, visit: () => Pick<SendRequest, "locale" | "referrer">) {
  const entries = new Map<string, Entry>();
  const outgoing = new Map<string, Outgoing>();
  let olderCursor: string | null = null;
  let agentReadAt: string | null = null;
  let loadingOlder = false;
  // Counts clear(): a send or a page asked for before it belongs to whoever was there then, and is dropped.
  let epoch = 0;

  function setStatus(key: string, status: EntryStatus, error = ""): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.set(key, { ...entry, status, error });
    changed();
  }

  /** Takes a message from the server; answers whether it is one the widget had not seen. */
  function receive(message: VisitorMessage): boolean {
    const key = keyOf(message);
    const known = entries.get(key);
    entries.set(key, { key, message, status: "sent", error: "" });
    if (message.clientMessageId) outgoing.delete(message.clientMessageId);
    changed();
    return !known || known.status !== "sent";
  }

  async function deliver(item: Outgoing): Promise<boolean> {
    const key = `c:${item.id}`;
    setStatus(key, "sending");
    const mine = epoch;
    try {
      await ready();
      if (mine !== epoch) return false;
      // One file at a time, each kept once uploaded, so a retry sends only what is missing.
      for (const file of item.files.slice(item.uploadIds.length)) item.uploadIds.push((await api.upload(file)).uploadId);
      if (mine !== epoch) return false;
      const answer = await api.send({
        text: item.text || undefined,
        uploadIds: item.uploadIds.length > 0 ? item.uploadIds : undefined,
        clientMessageId: item.id,
        pageUrl: location.href.slice(0, widgetLimits.url),
        // What the contact panel shows of the visit; the first message makes the visitor a contact.
        ...visit(),
        preChat: item.preChat,
      });
      if (mine !== epoch) return false;
      const message = sentMessage(answer);
      if (message) receive(message);
      else {
        outgoing.delete(item.id);
        setStatus(key, "sent");
      }
      return true;
    } catch (error) {
      // The socket may have brought the message already while the HTTP answer was lost.
      if (entries.get(key)?.status === "sending") setStatus(key, "failed", error instanceof ApiError ? error.message : "");
      return false;
    }
  }

  function list(): Entry[] {
    const all = [...entries.values()];
    const sent = all.filter((entry) => entry.status === "sent").sort((a, b) => Date.parse(a.message.createdAt) - Date.parse(b.message.createdAt));
    return [...sent, ...all.filter((entry) => entry.status !== "sent")];
  }

  return {
    list,
    isEmpty: () => entries.size === 0,
    agentReadAt: () => agentReadAt,
    hasOlder: () => olderCursor !== null,
    /** The newest page from the server, in place of what was shown (sends under way stay). */
    async load(): Promise<void> {
      const mine = epoch;
      const page = await api.messages();
      if (mine !== epoch) return;
      for (const [key, entry] of entries) if (entry.status === "sent") entries.delete(key);
      for (const message of page.messages) receive(message);
      olderCursor = page.olderCursor;
      agentReadAt = page.agentReadAt;
      changed();
    },
    async loadOlder(): Promise<void> {
      if (!olderCursor || loadingOlder) return;
      loadingOlder = true;
      const mine = epoch;
      try {
        const page = await api.messages(olderCursor);
        if (mine !== epoch) return;
        for (const message of page.messages) receive(message);
        olderCursor = page.olderCursor;
      } finally {
        loadingOlder = false;
      }
    },
    receive,
    read(at: string): void {
      if (!agentReadAt || Date.parse(at) > Date.parse(agentReadAt)) agentReadAt = at;
      changed();
    },
    /** The id of the newest message of the team, for the read receipt. */
    lastTeamMessageId(): string | null {
      const team = list().filter((entry) => entry.message.author !== "visitor");
      return team[team.length - 1]?.message.id ?? null;
    },
    send(text: string, files: File[], preChat: SendRequest["preChat"]): Promise<boolean> {
      const item: Outgoing = { id: clientMessageId(), text, files, uploadIds: [], preChat };
      outgoing.set(item.id, item);
      entries.set(`c:${item.id}`, { key: `c:${item.id}`, message: localMessage(item), status: "sending", error: "" });
      return deliver(item);
    },
    retry(key: string): void {
      const item = outgoing.get(key.slice(2));
      if (item && entries.get(key)?.status === "failed") void deliver(item);
    },
    clear(): void {
      epoch++;
      entries.clear();
      outgoing.clear();
      olderCursor = null;
      agentReadAt = null;
      changed();
    },
  };
}
